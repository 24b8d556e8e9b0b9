import { useState } from "react";
import type { SettingsPatch, User } from "../../../protocol/index.js";
import { useT } from "../../i18n/index.js";
import { SettingSwitch } from "./SettingSwitch.js";

type PrivacyKey = "shareReadReceipts" | "shareLastSeen";

/** "Share read receipts" and "Share last seen": both reciprocal, honoured by the server at once. */
export function PrivacySettings({
  me,
  updateSettings,
}: {
  me: User;
  updateSettings: (patch: SettingsPatch) => Promise<void>;
}) {
  const t = useT();
  const [saving, setSaving] = useState<PrivacyKey | null>(null);
  const [failed, setFailed] = useState(false);
  const change = (key: PrivacyKey, value: boolean) => {
    setSaving(key);
    setFailed(false);
    updateSettings({ [key]: value })
      .catch(() => setFailed(true))
      .finally(() => setSaving(null));
  };
  return (
    <section className="settings-section panel" aria-labelledby="settings-privacy">
      <h2 id="settings-privacy">{t("settings.privacy")}</h2>
      <SettingSwitch
        label={t("settings.readReceipts")}
        help={t("settings.readReceiptsHelp")}
        checked={me.settings?.shareReadReceipts ?? true}
        disabled={saving !== null}
        onChange={(value) => change("shareReadReceipts", value)}
      />
      <SettingSwitch
        label={t("settings.lastSeen")}
        help={t("settings.lastSeenHelp")}
        checked={me.settings?.shareLastSeen ?? true}
        disabled={saving !== null}
        onChange={(value) => change("shareLastSeen", value)}
      />
      {failed ? (
        <p className="settings-error" role="alert">
          {t("settings.saveFailed")}
        </p>
      ) : null}
    </section>
  );
}
