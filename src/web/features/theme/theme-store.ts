import { createStore } from "../../lib/store.js";
import { initialTheme, otherTheme, THEME_STORAGE_KEY, type Theme } from "../../lib/theme.js";

function readStored(): string | null {
  try {
    return localStorage.getItem(THEME_STORAGE_KEY);
  } catch {
    return null; // storage can be disabled; then the system preference decides each visit
  }
}

const prefersDark = () => window.matchMedia?.("(prefers-color-scheme: dark)").matches ?? true;

export const themeStore = createStore<Theme>(initialTheme(readStored(), prefersDark()));

/** Puts the theme on <html> (CSS reads data-theme) and tells the browser for form controls. */
export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  root.dataset.theme = theme;
  root.style.colorScheme = theme;
}

export function toggleTheme(): void {
  themeStore.set(otherTheme);
  try {
    localStorage.setItem(THEME_STORAGE_KEY, themeStore.get());
  } catch {
    // not remembered, still applied
  }
}

applyTheme(themeStore.get());
themeStore.subscribe(() => applyTheme(themeStore.get()));
