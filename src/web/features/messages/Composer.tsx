import {
  type ClipboardEvent,
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
} from "react";
import { LIMITS } from "../../../protocol/limits.js";
import { PaperclipIcon, SendIcon } from "../../app/icons.js";
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
  /** Files chosen with the paper clip or pasted (images); absent: no attaching (e.g. while editing). */
  onAttachFiles?: (files: File[]) => void;
  /** The attached files' tray, shown above the box. */
  attachments?: ReactNode;
  /** Every attached file is uploaded: the message may go without text. */
  filesReady?: boolean;
  /** Some attached file is still uploading (or failed): sending waits. */
  filesBlocking?: boolean;
  /** The text changed: true while there is some (I am typing), false once emptied. */
  onTyping?: (active: boolean) => void;
}

/**
 * The message box: Enter sends, Shift+Enter adds a line; it grows with its text up to a cap.
 * It also edits a message (Up-arrow in an empty box edits my last one) and writes replies;
 * Escape cancels either.
 */
export function Composer({
  onSend,
  disabled,
  editing,
  replyingTo,
  onSaveEdit,
  onCancel,
  onEditLast,
  onAttachFiles,
  attachments,
  filesReady,
  filesBlocking,
  onTyping,
}: Props) {
  const t = useT();
  const [body, setBody] = useState("");
  const picker = useRef<HTMLInputElement>(null);
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
    if (disabled || filesBlocking) return;
    if (empty && !(filesReady && !editing)) return;
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

  function onPaste(e: ClipboardEvent<HTMLTextAreaElement>) {
    if (!onAttachFiles) return;
    const images = [...e.clipboardData.files].filter((f) => f.type.startsWith("image/"));
    if (images.length === 0) return;
    e.preventDefault();
    onAttachFiles(images);
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
      {attachments}
      <div className="composer-row">
        {onAttachFiles && !editing ? (
          <>
            <button
              type="button"
              className="icon-button attach-button"
              aria-label={t("files.attach")}
              title={t("files.attach")}
              onClick={() => picker.current?.click()}
            >
              <PaperclipIcon />
            </button>
            <input
              ref={picker}
              type="file"
              multiple
              hidden
              data-testid="attach-input"
              onChange={(e) => {
                const chosen = [...(e.currentTarget.files ?? [])];
                e.currentTarget.value = "";
                if (chosen.length > 0) onAttachFiles(chosen);
              }}
            />
          </>
        ) : null}
        <textarea
          ref={ref}
          className="composer-input"
          dir="auto"
          aria-label={t("messages.box")}
          placeholder={
            editing
              ? t("messages.editPlaceholder")
              : filesReady
                ? t("files.caption")
                : t("messages.writePlaceholder")
          }
          rows={1}
          maxLength={LIMITS.bodyMax}
          value={body}
          onChange={(e) => {
            const value = e.currentTarget.value;
            setBody(value);
            // Typing a new message (not editing one) tells the chat; an emptied box stops it.
            if (!editing) onTyping?.(value.trim().length > 0);
          }}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
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
        <button type="submit" className="send-button" disabled={disabled || (filesBlocking && !editing)}>
          <SendIcon />
          <span>{editing ? t("messages.save") : t("messages.send")}</span>
        </button>
      </div>
    </form>
  );
}
