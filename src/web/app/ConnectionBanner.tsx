import { useT } from "../i18n/index.js";
import type { Connection } from "./state.js";

/** Announces a dropped connection; the region stays in the DOM so the announcement is heard. */
export function ConnectionBanner({
  connection,
  hasDropped,
}: {
  connection: Connection;
  hasDropped: boolean;
}) {
  const t = useT();
  const show = connection === "offline" || (connection === "connecting" && hasDropped);
  return (
    <div role="status" className={show ? "connection-banner is-visible" : "connection-banner"}>
      {show ? t("app.connectionLost") : ""}
    </div>
  );
}
