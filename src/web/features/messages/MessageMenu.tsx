import { type KeyboardEvent, type RefObject, useEffect, useRef } from "react";

export interface MenuItem {
  label: string;
  run: () => void;
  danger?: boolean;
}

interface Props {
  items: MenuItem[];
  label: string;
  /** The button that opened it: clicks on it toggle, focus returns to it. */
  buttonRef: RefObject<HTMLButtonElement | null>;
  onClose: (refocus: boolean) => void;
}

/** A message's action menu (WAI-ARIA menu pattern: arrows move, Escape closes). */
export function MessageMenu({ items, label, buttonRef, onClose }: Props) {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onPointer = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!ref.current?.contains(target) && !buttonRef.current?.contains(target)) onClose(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [buttonRef, onClose]);

  const onKey = (e: KeyboardEvent) => {
    const list = Array.from(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
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
      e.stopPropagation();
      onClose(true);
    } else if (e.key === "Tab") {
      onClose(false);
    }
  };

  return (
    <div
      ref={ref}
      role="menu"
      aria-label={label}
      className="menu panel msg-menu"
      tabIndex={-1}
      onKeyDown={onKey}
    >
      {items.map((item) => (
        <button
          key={item.label}
          type="button"
          role="menuitem"
          tabIndex={-1}
          className={item.danger ? "is-danger" : undefined}
          onClick={() => item.run()}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}
