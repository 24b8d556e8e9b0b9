import { useT } from "../i18n/index.js";

/** Shown when the server speaks another protocol version than this build: the tab must reload. */
export function UpdateBanner({ show }: { show: boolean }) {
  const t = useT();
  if (!show) return null;
  return (
    <div role="status" className="update-banner">
      {t("app.update.text")}{" "}
      <button type="button" className="update-banner-reload" onClick={() => window.location.reload()}>
        {t("app.update.reload")}
      </button>
    </div>
  );
}
