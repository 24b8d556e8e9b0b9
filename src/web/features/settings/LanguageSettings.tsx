import { useId } from "react";
import { LOCALE_NAMES, LOCALES, setLocale, useLocale, useT } from "../../i18n/index.js";
import "./language.css";

/**
 * The Settings page's language section: English or Deutsch, each named in its own language.
 * The choice applies at once (no reload) and is remembered in this browser.
 */
export function LanguageSettings() {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  return (
    <section className="settings-section language-settings" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("language.title")}</h2>
      <p className="language-hint" id={`${id}-hint`}>
        {t("language.description")}
      </p>
      <fieldset className="language-options" aria-describedby={`${id}-hint`}>
        <legend className="visually-hidden">{t("language.label")}</legend>
        {LOCALES.map((option) => (
          <label key={option} className="language-option">
            <input
              type="radio"
              name={`${id}-language`}
              value={option}
              checked={locale === option}
              onChange={() => setLocale(option)}
            />
            <span lang={option}>{LOCALE_NAMES[option]}</span>
          </label>
        ))}
      </fieldset>
    </section>
  );
}
