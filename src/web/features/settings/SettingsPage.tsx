import type { SettingsPatch, User } from "../../../protocol/index.js";
import { useT } from "../../i18n/index.js";
import { AccountSettings } from "./AccountSettings.js";
import { BlockedPeople } from "./BlockedPeople.js";
import { DataSettings } from "./DataSettings.js";
import { LanguageSettings } from "./LanguageSettings.js";
import { NotificationSettings } from "./NotificationSettings.js";
import { PrivacySettings } from "./PrivacySettings.js";
import "./settings.css";

export interface SettingsPageProps {
  me: User;
  updateSettings: (patch: SettingsPatch) => Promise<void>;
  /** The account record as the server answered after a change made by a section. */
  onUserChange: (user: User) => void;
  /** The account was deleted: back to the sign-in screen. */
  onDeleted: () => void;
}

/** The Settings page (#/settings): one section component per concern, in this order. */
export default function SettingsPage({ me, updateSettings, onUserChange, onDeleted }: SettingsPageProps) {
  const t = useT();
  return (
    <main className="settings" aria-labelledby="settings-title">
      <header className="settings-head panel">
        <h1 id="settings-title">{t("settings.title")}</h1>
      </header>
      <AccountSettings />
      <PrivacySettings me={me} updateSettings={updateSettings} />
      <BlockedPeople />
      <NotificationSettings user={me} onUserChange={onUserChange} />
      <LanguageSettings />
      <DataSettings onDeleted={onDeleted} />
    </main>
  );
}
