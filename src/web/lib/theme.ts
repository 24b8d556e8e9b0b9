export type Theme = "dark" | "light";

export const THEME_STORAGE_KEY = "glasschat.theme";

export function isTheme(value: unknown): value is Theme {
  return value === "dark" || value === "light";
}

/** A remembered choice wins; on the first visit the system preference decides. */
export function initialTheme(stored: string | null, prefersDark: boolean): Theme {
  if (isTheme(stored)) return stored;
  return prefersDark ? "dark" : "light";
}

export function otherTheme(theme: Theme): Theme {
  return theme === "dark" ? "light" : "dark";
}
