import { useEffect, useId, useRef, useState } from "react";
import type { User } from "../../protocol/index.js";
import { SETTINGS_HREF } from "../features/settings/route.js";
import { ThemeToggle } from "../features/theme/ThemeToggle.js";
import { useT } from "../i18n/index.js";
import { LogoutIcon } from "./icons.js";

/**
 * Phones: the name, Settings, the theme switch and "Log out" behind one avatar button (a disclosure:
 * Escape or a click outside closes it, focus returns to the button), so a long name never covers
 * the navigation.
 */
export function AccountMenu({ me, onLogout }: { me: User; onLogout: () => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const id = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      e.preventDefault();
      setOpen(false);
      buttonRef.current?.focus();
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  return (
    <div ref={rootRef} className="account-menu">
      <button
        ref={buttonRef}
        type="button"
        className="icon-button account-button"
        aria-label={t("polish.account")}
        title={t("polish.accountFor", { name: me.username })}
        aria-expanded={open}
        aria-controls={open ? `${id}-panel` : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="avatar" aria-hidden="true">
          {me.username.slice(0, 1).toUpperCase()}
        </span>
      </button>
      {open ? (
        <div id={`${id}-panel`} className="account-panel menu panel">
          <p className="account-name" dir="auto">
            {me.username}
          </p>
          {me.email ? <p className="account-email">{me.email}</p> : null}
          <a className="nav-link account-settings" href={SETTINGS_HREF} onClick={() => setOpen(false)}>
            {t("settings.nav")}
          </a>
          <div className="account-actions">
            <ThemeToggle />
            <button type="button" className="ghost-button account-logout" onClick={onLogout}>
              <LogoutIcon />
              <span>{t("app.logout")}</span>
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
