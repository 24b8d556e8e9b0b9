import { MoonIcon, SunIcon } from "../../app/icons.js";
import { useStore } from "../../app/useStore.js";
import { themeStore, toggleTheme } from "./theme-store.js";

export function ThemeToggle() {
  const theme = useStore(themeStore, (t) => t);
  return (
    <button
      type="button"
      className="icon-button"
      aria-label="Toggle theme"
      aria-pressed={theme === "light"}
      title={theme === "dark" ? "Switch to light theme" : "Switch to dark theme"}
      onClick={toggleTheme}
    >
      {theme === "dark" ? <SunIcon /> : <MoonIcon />}
    </button>
  );
}
