import { type FormEvent, type KeyboardEvent, useEffect, useLayoutEffect, useRef, useState } from "react";
import { LIMITS } from "../../../protocol/limits.js";
import { SendIcon } from "../../app/icons.js";
import { useT } from "../../i18n/index.js";
import type { ClientMessage } from "../../lib/messages.js";

interface Props {
  onSend: (body: string) => void;
  disabled?: boolean;
  /** The message being edited: the box holds its text and submitting saves the edit. */
  editing?: ClientMessage | null;
  /** The message being answered: shown above the box. */
  replyingTo?: ClientMessage | null;
  onSaveEdit?: (message: ClientMessage, body: string) => void;
  /** Leaves edit or reply mode (Escape, or the Cancel button). */
  onCancel?: () => void;
  /** Up-arrow in an empty box: edit my last message. */
  onEditLast?: () => void;
}

/**
 * The message box: Enter sends, Shift+Enter adds a line; it grows with its text up to a cap.
 * It also edits a message (Up-arrow in an empty box edits my last one) and writes replies;
 * Escape cancels either.
 */
export function Composer({ onSend, disabled, editing, replyingTo, onSaveEdit, onCancel, onEditLast }: Props) {
  const t = useT();
  const [body, setBody] = useState("");
  const draft = useRef("");
  const ref = useRef<HTMLTextAreaElement>(null);
  const empty = body.trim().length === 0;
  const editingId = editing?.id;

  // biome-ignore lint/correctness/useExhaustiveDependencies: re-measure whenever the text changes
  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    box.style.height = "auto";
    box.style.height = `${Math.min(box.scrollHeight, 160)}px`;
  }, [body]);

  // Entering edit mode puts the message's text in the box; the draft comes back after. (Kept out
  // of a state updater: React may run updaters twice, and this one would save the wrong draft.)
  const latestBody = useRef(body);
  latestBody.current = body;
  const wasEditing = useRef(false);
  // A layout effect: the box never paints the old text in the new mode.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when another message is chosen
  useLayoutEffect(() => {
    if (editing) {
      if (!wasEditing.current) draft.current = latestBody.current;
      wasEditing.current = true;
      setBody(editing.body);
      ref.current?.focus();
    } else if (wasEditing.current) {
      wasEditing.current = false;
      setBody(draft.current);
      draft.current = "";
    }
  }, [editingId]);

  useEffect(() => {
    if (replyingTo) ref.current?.focus();
  }, [replyingTo]);

  // A chat just opened (the pane mounts per chat): typing goes straight into it.
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, []);

  function submit(e?: FormEvent) {
    e?.preventDefault();
    if (empty || disabled) return;
    if (editing) {
      if (body !== editing.body) onSaveEdit?.(editing, body);
      else onCancel?.();
      setBody(""); // leaving edit mode then brings the draft back
    } else {
      onSend(body);
      setBody("");
    }
    ref.current?.focus();
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    } else if (e.key === "Escape" && (editing || replyingTo)) {
      e.preventDefault();
      onCancel?.();
    } else if (e.key === "ArrowUp" && body.length === 0 && !editing && onEditLast) {
      e.preventDefault();
      onEditLast();
    }
  }

  const left = LIMITS.bodyMax - body.length;
  const context = editing ? "editing" : replyingTo ? "replying" : null;
  return (
    <form className="composer" onSubmit={submit}>
      {context ? (
        <div className="composer-context" id="composer-context">
          <div className="composer-context-text">
            <strong>
              {editing
                ? t("messages.editing")
                : t("messages.replyingTo", { name: replyingTo?.sender.username ?? "" })}
            </strong>
            <span className="composer-context-excerpt" dir="auto">
              {(editing ?? replyingTo)?.body}
            </span>
          </div>
          <button type="button" className="ghost-button" onClick={() => onCancel?.()}>
            {editing ? t("messages.cancelEdit") : t("messages.cancelReply")}
          </button>
        </div>
      ) : null}
      <div className="composer-row">
        <textarea
          ref={ref}
          className="composer-input"
          dir="auto"
          aria-label={t("messages.box")}
          placeholder={editing ? t("messages.editPlaceholder") : t("messages.writePlaceholder")}
          rows={1}
          maxLength={LIMITS.bodyMax}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          onKeyDown={onKeyDown}
          aria-describedby={
            [context ? "composer-context" : "", left < 200 ? "composer-count" : ""]
              .filter(Boolean)
              .join(" ") || undefined
          }
        />
        {left < 200 ? (
          <span id="composer-count" className="composer-count">
            {t("messages.charactersLeft", { count: left })}
          </span>
        ) : null}
        <button type="submit" className="send-button" disabled={disabled}>
          <SendIcon />
          <span>{editing ? t("messages.save") : t("messages.send")}</span>
        </button>
      </div>
    </form>
  );
}
