import type { User } from "../../protocol/index.js";
import { ThemeToggle } from "../features/theme/ThemeToggle.js";
import { LogoMark, LogoutIcon } from "./icons.js";

/** Top bar. The nav holds app-level links (an "Insights" page is planned there). */
export function Header({ me, onLogout }: { me: User; onLogout: () => void }) {
  return (
    <header className="topbar panel">
      <div className="brand">
        <LogoMark />
        <span>Glasschat</span>
      </div>
      <nav className="topbar-nav" aria-label="Main" />
      <div className="topbar-user">
        <div className="me">
          <span className="me-name">{me.username}</span>
          {me.email ? <span className="me-email">{me.email}</span> : null}
        </div>
        <ThemeToggle />
        <button type="button" className="ghost-button" onClick={onLogout}>
          <LogoutIcon />
          <span>Log out</span>
        </button>
      </div>
    </header>
  );
}
