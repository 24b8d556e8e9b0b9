import { useSyncExternalStore } from "react";
import { createStore } from "../lib/store.js";
import type { MessageKey } from "./catalogue.js";
import { en } from "./en/index.js";
import { formatMessage } from "./format.js";
import { LOCALE_STORAGE_KEY, type Locale, pickLocale } from "./locale.js";
import type { Catalogue, Params } from "./types.js";

export type { MessageKey } from "./catalogue.js";
export { LOCALE_NAMES, LOCALES, type Locale } from "./locale.js";

/** English is bundled; every other language is a chunk of its own, loaded when it is chosen. */
const catalogues: Partial<Record<Locale, Catalogue>> = { en };
const emojiNames: Partial<Record<Locale, Readonly<Record<string, string>>>> = {};
const loaders: Record<Exclude<Locale, "en">, () => Promise<void>> = {
  de: async () => {
    const module = await import("./de/bundle.js");
    catalogues.de = module.de;
    emojiNames.de = module.EMOJI_NAMES_DE;
  },
};

/** Loads a language's catalogue (once); English is always there. */
export async function loadLocale(locale: Locale): Promise<void> {
  if (locale !== "en" && !catalogues[locale]) await loaders[locale]();
}

function readStored(): string | null {
  try {
    return localStorage.getItem(LOCALE_STORAGE_KEY);
  } catch {
    return null;
  }
}

const browserLanguages = () =>
  typeof navigator === "undefined" ? [] : (navigator.languages ?? [navigator.language]);

export const localeStore = createStore<Locale>(pickLocale(readStored(), browserLanguages()));

/** `<html lang>` and the page's description follow the language (index.html ships English). */
function applyLocale(locale: Locale): void {
  if (typeof document === "undefined") return;
  document.documentElement.lang = locale;
  document.querySelector('meta[name="description"]')?.setAttribute("content", t("app.description"));
}
localeStore.subscribe(() => applyLocale(localeStore.get()));

/** Resolves once the first language is ready (render after it): English if its chunk fails. */
export const i18nReady: Promise<void> = loadLocale(localeStore.get()).then(
  () => applyLocale(localeStore.get()),
  () => localeStore.set(() => "en"),
);

/** Switches the language once its catalogue is loaded, and remembers the choice. */
export async function setLocale(locale: Locale): Promise<void> {
  await loadLocale(locale);
  localeStore.set(() => locale);
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // applied for this visit only
  }
}

export function currentLocale(): Locale {
  return localeStore.get();
}

/** Translates outside React (event handlers, error mapping). Components use `useT()`. */
export function t(key: MessageKey, params?: Params): string {
  const locale = localeStore.get();
  const message = catalogues[locale]?.[key] ?? en[key];
  return formatMessage(locale, message, params);
}

/** The translator for the current language; the component re-renders when the language changes. */
export function useT(): typeof t {
  useSyncExternalStore(localeStore.subscribe, localeStore.get, localeStore.get);
  return t;
}

export function useLocale(): Locale {
  return useSyncExternalStore(localeStore.subscribe, localeStore.get, localeStore.get);
}

/** Emoji names in a language other than English, once that language is loaded. */
export function localEmojiNames(locale: Locale): Readonly<Record<string, string>> | undefined {
  return emojiNames[locale];
}
