import { useSyncExternalStore } from "react";
import { createStore } from "../lib/store.js";
import type { MessageKey } from "./catalogue.js";
import { de } from "./de/index.js";
import { en } from "./en/index.js";
import { formatMessage } from "./format.js";
import { LOCALE_STORAGE_KEY, type Locale, pickLocale } from "./locale.js";
import type { Catalogue, Params } from "./types.js";

export type { MessageKey } from "./catalogue.js";
export { LOCALE_NAMES, LOCALES, type Locale } from "./locale.js";

const catalogues: Record<Locale, Catalogue> = { en, de };

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
applyLocale(localeStore.get());
localeStore.subscribe(() => applyLocale(localeStore.get()));

export function setLocale(locale: Locale): void {
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
  const message = catalogues[locale][key] ?? en[key];
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
