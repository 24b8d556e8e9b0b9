import { de } from "./de.js";
import { en } from "./en.js";

export type MailLocale = "en" | "de";
export const MAIL_LOCALES: readonly MailLocale[] = ["en", "de"];
export type MailKey = keyof typeof en;
type Plural = { one: string; other: string };
/** Every key of the English texts, as plain text or one/other plural forms like the English one. */
export type MailTexts = { [K in MailKey]: (typeof en)[K] extends string ? string : Plural };

export const MAIL_TEXTS: Record<MailLocale, MailTexts> = { en, de };

/** "en" or "de" from a stored value or an Accept-Language header; English otherwise. */
export function mailLocale(value: string | null | undefined): MailLocale {
  for (const part of (value ?? "").split(",")) {
    const base = part.trim().toLowerCase().split(/[-;_]/)[0];
    if (base === "en" || base === "de") return base;
  }
  return "en";
}

/** The text of `key` in `locale` with `{name}` placeholders filled (a `count` picks the plural form). */
export function mailText(
  locale: MailLocale,
  key: MailKey,
  params: Record<string, string | number> = {},
): string {
  const message = MAIL_TEXTS[locale][key] as string | Plural;
  const template =
    typeof message === "string"
      ? message
      : new Intl.PluralRules(locale).select(Number(params.count ?? 0)) === "one"
        ? message.one
        : message.other;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  );
}
