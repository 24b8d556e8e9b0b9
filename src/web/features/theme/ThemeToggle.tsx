import { MoonIcon, SunIcon } from "../../app/icons.js";
import { useStore } from "../../app/useStore.js";
import { useT } from "../../i18n/index.js";
import { themeStore, toggleTheme } from "./theme-store.js";

export function ThemeToggle() {
  const t = useT();
  const theme = useStore(themeStore, (s) => s);
  return (
    <button
      type="button"
      className="icon-button"
      aria-label={t("theme.toggle")}
      aria-pressed={theme === "light"}
      title={theme === "dark" ? t("theme.toLight") : t("theme.toDark")}
      onClick={toggleTheme}
    >
      {theme === "dark" ? <SunIcon /> : <MoonIcon />}
    </button>
  );
}
