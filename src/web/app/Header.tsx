import type { User } from "../../protocol/index.js";
import { INSIGHTS_HREF } from "../features/insights/route.js";
import { SETTINGS_HREF } from "../features/settings/route.js";
import { ThemeToggle } from "../features/theme/ThemeToggle.js";
import { useT } from "../i18n/index.js";
import { AccountMenu } from "./AccountMenu.js";
import { LogoMark, LogoutIcon } from "./icons.js";

/** Top bar. The nav holds app-level links: the chats, the Insights and the Settings page; on phones the user block is a menu. */
export function Header({
  me,
  onLogout,
  page = "chats",
}: {
  me: User;
  onLogout: () => void;
  page?: "chats" | "insights" | "settings";
}) {
  const t = useT();
  return (
    <header className="topbar panel">
      <div className="brand">
        <LogoMark />
        <span>Glasschat</span>
      </div>
      <nav className="topbar-nav" aria-label={t("app.nav.label")}>
        <a className="nav-link" href="#/" aria-current={page === "chats" ? "page" : undefined}>
          {t("app.nav.chats")}
        </a>
        <a className="nav-link" href={INSIGHTS_HREF} aria-current={page === "insights" ? "page" : undefined}>
          {t("app.nav.insights")}
        </a>
        <a
          className="nav-link nav-settings"
          href={SETTINGS_HREF}
          aria-current={page === "settings" ? "page" : undefined}
        >
          {t("settings.nav")}
        </a>
      </nav>
      <div className="topbar-user">
        <div className="me">
          <span className="me-name" dir="auto">
            {me.username}
          </span>
          {me.email ? <span className="me-email">{me.email}</span> : null}
        </div>
        <ThemeToggle />
        <button type="button" className="ghost-button" onClick={onLogout}>
          <LogoutIcon />
          <span>{t("app.logout")}</span>
        </button>
      </div>
      <AccountMenu me={me} onLogout={onLogout} />
    </header>
  );
}
