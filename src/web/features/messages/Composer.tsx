import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from "react";
import { LIMITS } from "../../../protocol/limits.js";
import { SendIcon } from "../../app/icons.js";

/** The message box: Enter sends, Shift+Enter adds a line; it grows with its text up to a cap. */
export function Composer({ onSend, disabled }: { onSend: (body: string) => void; disabled?: boolean }) {
  const [body, setBody] = useState("");
  const ref = useRef<HTMLTextAreaElement>(null);
  const empty = body.trim().length === 0;

  // biome-ignore lint/correctness/useExhaustiveDependencies: re-measure whenever the text changes
  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    box.style.height = "auto";
    box.style.height = `${Math.min(box.scrollHeight, 160)}px`;
  }, [body]);

  function submit(e?: FormEvent) {
    e?.preventDefault();
    if (empty || disabled) return;
    onSend(body);
    setBody("");
    ref.current?.focus();
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  }

  const left = LIMITS.bodyMax - body.length;
  return (
    <form className="composer" onSubmit={submit}>
      <textarea
        ref={ref}
        className="composer-input"
        aria-label="Message"
        placeholder="Write a message…"
        rows={1}
        maxLength={LIMITS.bodyMax}
        value={body}
        onChange={(e) => setBody(e.currentTarget.value)}
        onKeyDown={onKeyDown}
        aria-describedby={left < 200 ? "composer-count" : undefined}
      />
      {left < 200 ? (
        <span id="composer-count" className="composer-count">
          {left} characters left
        </span>
      ) : null}
      <button type="submit" className="send-button" disabled={disabled}>
        <SendIcon />
        <span>Send</span>
      </button>
    </form>
  );
}
