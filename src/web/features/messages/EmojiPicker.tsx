import { type KeyboardEvent, useEffect, useId, useMemo, useRef, useState } from "react";
import { useLocale, useT } from "../../i18n/index.js";
import { type EmojiEntry, localName, QUICK_REACTIONS, searchEmoji } from "../../lib/emoji.js";

interface Props {
  onPick: (emoji: string) => void;
  onClose: () => void;
}

/**
 * The reaction picker: six quick reactions and a searchable set, all bundled with the app.
 * Arrow keys move between emoji; Escape closes (the caller puts focus back).
 */
export function EmojiPicker({ onPick, onClose }: Props) {
  const t = useT();
  const locale = useLocale();
  const [query, setQuery] = useState("");
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  // The quick six head the picker; the grid repeats them only in search results.
  const results = useMemo(
    () =>
      query.trim() ? searchEmoji(query, undefined, locale) : searchEmoji("").slice(QUICK_REACTIONS.length),
    [query, locale],
  );

  useEffect(() => {
    ref.current?.querySelector<HTMLElement>("button")?.focus();
    const onPointer = (e: PointerEvent) => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [onClose]);

  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      onClose();
      return;
    }
    if (!["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"].includes(e.key)) return;
    const target = e.target as HTMLElement;
    if (target.tagName === "INPUT" && (e.key === "ArrowLeft" || e.key === "ArrowRight")) return;
    const buttons = Array.from(ref.current?.querySelectorAll<HTMLElement>("button.emoji-button") ?? []);
    const index = buttons.indexOf(target);
    const step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -6, ArrowDown: 6 }[e.key] ?? 0;
    e.preventDefault();
    const next = index < 0 ? 0 : Math.min(buttons.length - 1, Math.max(0, index + step));
    buttons[next]?.focus();
  };

  const emojiButton = (entry: EmojiEntry) => {
    const { emoji } = entry;
    const name = localName(entry, locale);
    return (
      <button
        key={emoji}
        type="button"
        className="emoji-button"
        aria-label={name}
        title={name}
        onClick={() => onPick(emoji)}
      >
        {emoji}
      </button>
    );
  };

  return (
    <div
      ref={ref}
      className="emoji-picker panel"
      role="dialog"
      aria-label={t("messages.pickReaction")}
      onKeyDown={onKey}
    >
      <fieldset className="emoji-quick">
        <legend className="visually-hidden">{t("messages.quickReactions")}</legend>
        {QUICK_REACTIONS.map(emojiButton)}
      </fieldset>
      <label htmlFor={`${id}-search`} className="visually-hidden">
        {t("messages.searchEmoji")}
      </label>
      <input
        id={`${id}-search`}
        className="emoji-search"
        type="search"
        placeholder={t("messages.searchEmoji")}
        value={query}
        onChange={(e) => setQuery(e.currentTarget.value)}
      />
      <div className="emoji-grid">
        {results.length === 0 ? <p className="emoji-empty">{t("messages.noEmoji")}</p> : null}
        {results.map(emojiButton)}
      </div>
    </div>
  );
}
