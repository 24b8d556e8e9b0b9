import { useId } from "react";
import { LOCALE_NAMES, LOCALES, setLocale, useLocale, useT } from "../../i18n/index.js";
import { isLocale } from "../../i18n/locale.js";
import "./language.css";

/** A compact language switch for screens without Settings (the sign-in screen's footer). */
export function LanguageSelect() {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  return (
    <span className="language-select">
      <label htmlFor={id}>{t("language.label")}</label>
      <select
        id={id}
        value={locale}
        onChange={(e) => {
          const chosen = e.currentTarget.value;
          if (isLocale(chosen)) setLocale(chosen);
        }}
      >
        {LOCALES.map((option) => (
          <option key={option} value={option} lang={option}>
            {LOCALE_NAMES[option]}
          </option>
        ))}
      </select>
    </span>
  );
}
