import type { SettingsPatch, User } from "../../../protocol/index.js";
import { useT } from "../../i18n/index.js";
import { PrivacySettings } from "./PrivacySettings.js";
import "./settings.css";

export interface SettingsPageProps {
  me: User;
  updateSettings: (patch: SettingsPatch) => Promise<void>;
}

/**
 * The Settings page (#/settings): one section component per concern, in this order. Sections
 * of other features (Account, Notifications, Language, Blocked people) are mounted below, each
 * as its own component with its own props.
 */
export default function SettingsPage({ me, updateSettings }: SettingsPageProps) {
  const t = useT();
  return (
    <main className="settings" aria-labelledby="settings-title">
      <header className="settings-head panel">
        <h1 id="settings-title">{t("settings.title")}</h1>
      </header>
      {/* <AccountSettings /> */}
      <PrivacySettings me={me} updateSettings={updateSettings} />
      {/* <BlockedPeople /> */}
      {/* <NotificationSettings /> */}
      {/* <LanguageSettings /> */}
    </main>
  );
}
