import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { DotsIcon } from "../../app/icons.js";
import { useT } from "../../i18n/index.js";

interface Props {
  chatTitle: string;
  onClear: () => void;
  onRemove: () => void;
  /** Direct chats: "Block" or "Unblock" the other person. */
  blocking?: { blocked: boolean; onToggle: () => void };
}

/** The per-chat menu button (WAI-ARIA menu button pattern: arrows move, Escape closes). */
const menuItems = (menu: HTMLElement | null) =>
  Array.from(menu?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);

export function ChatMenu({ chatTitle, onClear, onRemove, blocking }: Props) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const id = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    menuItems(menuRef.current)[0]?.focus();
    const onPointer = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open]);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };

  const onMenuKey = (e: KeyboardEvent) => {
    const list = menuItems(menuRef.current);
    const index = list.indexOf(document.activeElement as HTMLElement);
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const step = e.key === "ArrowDown" ? 1 : -1;
      list[(index + step + list.length) % list.length]?.focus();
    } else if (e.key === "Home" || e.key === "End") {
      e.preventDefault();
      (e.key === "Home" ? list[0] : list.at(-1))?.focus();
    } else if (e.key === "Escape") {
      e.preventDefault();
      close(true);
    } else if (e.key === "Tab") {
      close(false);
    }
  };

  const choose = (action: () => void) => () => {
    close(true);
    action();
  };

  return (
    <div className="chat-menu">
      <button
        ref={buttonRef}
        type="button"
        className="icon-button chat-menu-button"
        aria-label={t("chats.actions")}
        title={t("chats.actionsFor", { title: chatTitle })}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? `${id}-menu` : undefined}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        <DotsIcon />
      </button>
      {open ? (
        <div
          ref={menuRef}
          id={`${id}-menu`}
          role="menu"
          aria-label={t("chats.actionsFor", { title: chatTitle })}
          className="menu panel"
          tabIndex={-1}
          onKeyDown={onMenuKey}
        >
          <button type="button" role="menuitem" tabIndex={-1} onClick={choose(onClear)}>
            {t("chats.clear")}
          </button>
          <button
            type="button"
            role="menuitem"
            tabIndex={-1}
            className="is-danger"
            onClick={choose(onRemove)}
          >
            {t("chats.remove")}
          </button>
          {blocking ? (
            <button type="button" role="menuitem" tabIndex={-1} onClick={choose(blocking.onToggle)}>
              {blocking.blocked ? t("blocking.unblock") : t("blocking.block")}
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
