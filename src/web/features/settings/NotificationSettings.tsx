import { useEffect, useId, useState } from "react";
import type { User, UserSettings } from "../../../protocol/index.js";
import { request } from "../../api/http.js";
import { describeError } from "../../app/errors.js";
import { useT } from "../../i18n/index.js";
import "./settings-sections.css";
import { readPreferences, writePreferences } from "../notifications/preferences.js";
import { disablePush, enablePush, pushEnabled, pushSupported } from "../notifications/push-subscription.js";

interface SwitchProps {
  label: string;
  hint?: string;
  checked: boolean;
  disabled?: boolean;
  onChange: (checked: boolean) => void;
}

function Switch({ label, hint, checked, disabled, onChange }: SwitchProps) {
  const id = useId();
  return (
    <div className="settings-switch">
      <input
        id={id}
        type="checkbox"
        role="switch"
        aria-checked={checked}
        checked={checked}
        disabled={disabled}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange(e.target.checked)}
      />
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={`${id}-hint`} className="settings-hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export interface NotificationSettingsProps {
  user: User;
  /** The account record as the server answered after a change. */
  onUserChange: (user: User) => void;
}

/**
 * Settings → Notifications: Web Push on this device, message text in notifications, email about
 * unread messages (account settings), and desktop notifications with a sound while the tab is in
 * the background (this device only).
 */
export function NotificationSettings({ user, onUserChange }: NotificationSettingsProps) {
  const t = useT();
  const supported = pushSupported();
  const [push, setPush] = useState(false);
  const [busy, setBusy] = useState(false);
  const [device, setDevice] = useState(readPreferences);
  const [problem, setProblem] = useState<string | null>(null);
  const denied = supported && Notification.permission === "denied";

  useEffect(() => {
    if (supported) void pushEnabled().then(setPush);
  }, [supported]);

  async function run(work: () => Promise<void>) {
    setBusy(true);
    setProblem(null);
    try {
      await work();
    } catch (error) {
      setProblem(t("notifications.failed", { reason: describeError(error) }));
    } finally {
      setBusy(false);
    }
  }

  const changeSetting = (patch: Partial<UserSettings>) =>
    run(async () => {
      const reply = await request<{ user: User }>("PATCH", "/api/me/settings", patch);
      onUserChange(reply.user);
    });

  const togglePush = (on: boolean) =>
    run(async () => {
      if (on) setPush(await enablePush());
      else {
        await disablePush();
        setPush(false);
      }
    });

  const toggleDesktop = (on: boolean) =>
    run(async () => {
      const granted = !on || (await Notification.requestPermission()) === "granted";
      setDevice(writePreferences({ desktop: on && granted }));
    });

  const settings = user.settings;
  return (
    <section className="settings-section" aria-labelledby="settings-notifications">
      <h2 id="settings-notifications">{t("notifications.heading")}</h2>
      <Switch
        label={t("notifications.push.label")}
        hint={
          !supported
            ? t("notifications.push.unsupported")
            : denied
              ? t("notifications.push.denied")
              : t("notifications.push.hint")
        }
        checked={push}
        disabled={!supported || denied || busy}
        onChange={togglePush}
      />
      <Switch
        label={t("notifications.previews.label")}
        checked={settings?.pushPreviews ?? true}
        disabled={busy}
        onChange={(on) => changeSetting({ pushPreviews: on })}
      />
      <Switch
        label={t("notifications.email.label")}
        hint={t("notifications.email.hint")}
        checked={settings?.emailNotifications ?? true}
        disabled={busy}
        onChange={(on) => changeSetting({ emailNotifications: on })}
      />
      <Switch
        label={t("notifications.desktop.label")}
        checked={device.desktop}
        disabled={!("Notification" in window) || denied || busy}
        onChange={toggleDesktop}
      />
      <Switch
        label={t("notifications.sound.label")}
        checked={device.sound}
        disabled={!device.desktop}
        onChange={(on) => setDevice(writePreferences({ sound: on }))}
      />
      {problem ? (
        <p role="alert" className="form-error">
          {problem}
        </p>
      ) : null}
    </section>
  );
}
