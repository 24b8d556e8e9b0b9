export const LOCALES = ["en", "de"] as const;
export type Locale = (typeof LOCALES)[number];

/** Each language by its own name, as a language switch shows it (never translated). */
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", de: "Deutsch" };
export const LOCALE_STORAGE_KEY = "glasschat.locale";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** A remembered choice wins; else the first of the browser's languages we speak; else English. */
export function pickLocale(stored: string | null, browserLanguages: readonly string[]): Locale {
  if (isLocale(stored)) return stored;
  for (const tag of browserLanguages) {
    const base = tag.toLowerCase().split("-")[0];
    if (isLocale(base)) return base;
  }
  return "en";
}
