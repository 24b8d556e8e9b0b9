import { memo, type SetStateAction, useCallback, useId, useRef, useState } from "react";
import type { ReplyRef } from "../../../protocol/index.js";
import { AlertIcon, CheckIcon, ClockIcon, DotsIcon } from "../../app/icons.js";
import { useLocale, useT } from "../../i18n/index.js";
import {
  canAnswer,
  canDeleteForEveryone,
  canEdit,
  type NameOf,
  reactionChips,
  systemText,
} from "../../lib/conversation.js";
import { timeLabel } from "../../lib/days.js";
import type { ClientMessage } from "../../lib/messages.js";
import { MessageFiles } from "../files/MessageFiles.js";
import { ReadReceipt } from "../presence/ReadReceipt.js";
import { EmojiPicker } from "./EmojiPicker.js";
import { type MenuItem, MessageMenu } from "./MessageMenu.js";
import { MessageText } from "./MessageText.js";

/** What a message's controls can ask for (stable across renders, so rows stay memoised). */
export interface BubbleActions {
  retry: (clientId: string) => void;
  reply: (m: ClientMessage) => void;
  edit: (m: ClientMessage) => void;
  deleteForMe: (m: ClientMessage) => void;
  deleteForEveryone: (m: ClientMessage) => void;
  react: (m: ClientMessage, emoji: string) => void;
  showOriginal: (ref: ReplyRef) => void;
}

interface Props {
  message: ClientMessage;
  own: boolean;
  showSender: boolean;
  myId: string;
  /** A group's owner or admin. */
  moderator: boolean;
  nameOf: NameOf;
  actions: BubbleActions;
  highlighted: boolean;
}

function Status({ message, onRetry }: { message: ClientMessage; onRetry: (clientId: string) => void }) {
  const t = useT();
  if (message.status === "queued") {
    return (
      <span className="msg-status is-queued" title={t("outbox.queuedHint")}>
        <ClockIcon />
        <span>{t("outbox.queued")}</span>
      </span>
    );
  }
  if (message.status === "pending") {
    return (
      <span className="msg-status" title={t("messages.sending")}>
        <ClockIcon />
        <span className="visually-hidden">{t("messages.sending")}</span>
      </span>
    );
  }
  if (message.status === "failed") {
    return (
      <span className="msg-status is-failed">
        <AlertIcon />
        <span>{t("messages.notSent")}</span>
        <button
          type="button"
          className="retry-button"
          onClick={() => onRetry(message.clientId)}
          title={message.failure}
        >
          {t("messages.retry")}
        </button>
      </span>
    );
  }
  return (
    <span className="msg-status" title={t("messages.sent")}>
      <CheckIcon />
      <span className="visually-hidden">{t("messages.sent")}</span>
    </span>
  );
}

/** The quoted original of a reply; clicking it scrolls there. */
function ReplyQuote({ reply, onShow }: { reply: ReplyRef; onShow: (ref: ReplyRef) => void }) {
  const t = useT();
  return (
    <button type="button" className="reply-quote" onClick={() => onShow(reply)}>
      <span className="visually-hidden">{t("messages.quotedFrom")}</span>
      <span className="reply-sender" dir="auto">
        {reply.sender.username}
      </span>
      <span className="visually-hidden">: </span>
      <span className={reply.deleted ? "reply-excerpt is-deleted" : "reply-excerpt"} dir="auto">
        {reply.deleted ? t("messages.deleted") : reply.excerpt}
      </span>
    </button>
  );
}

function Reactions({
  message,
  myId,
  nameOf,
  onToggle,
}: {
  message: ClientMessage;
  myId: string;
  nameOf: NameOf;
  onToggle: (emoji: string) => void;
}) {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const chips = reactionChips(message, myId, nameOf);
  if (chips.length === 0) return null;
  return (
    <div className="reactions">
      {chips.map((chip, i) => (
        <span key={chip.emoji} className="reaction">
          <button
            type="button"
            className={chip.mine ? "reaction-chip is-mine" : "reaction-chip"}
            aria-label={t("messages.reactionLabel", { emoji: chip.emoji, count: chip.count })}
            aria-pressed={chip.mine}
            aria-describedby={`${id}-${i}`}
            onClick={() => onToggle(chip.emoji)}
          >
            <span aria-hidden="true">{chip.emoji}</span>
            <span aria-hidden="true">{chip.count}</span>
          </button>
          <span id={`${id}-${i}`} role="tooltip" className="reaction-who">
            {new Intl.ListFormat(locale, { type: "conjunction" }).format(chip.who)}
          </span>
        </span>
      ))}
    </div>
  );
}

const LONG_PRESS_MS = 500;

/**
 * One message: text (or tombstone), its reply quote, "edited", reactions, delivery state, and
 * the "Message actions" menu (also on right-click and long press). System messages are notes.
 */
export const MessageBubble = memo(function MessageBubble({
  message,
  own,
  showSender,
  myId,
  moderator,
  nameOf,
  actions,
  highlighted,
}: Props) {
  const t = useT();
  const locale = useLocale();
  const [popup, setPopupState] = useState<"menu" | "react" | null>(null);
  const [above, setAbove] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const rowRef = useRef<HTMLDivElement>(null);
  // A popup opens above a row in the lower half of the history, so it stays in view.
  const setPopup = useCallback((next: SetStateAction<"menu" | "react" | null>) => {
    const row = rowRef.current;
    const scroller = row?.closest(".message-scroller");
    if (row && scroller) {
      const r = row.getBoundingClientRect();
      const s = scroller.getBoundingClientRect();
      setAbove(r.top + r.height / 2 - s.top > s.height / 2);
    }
    setPopupState(next);
  }, []);
  const pressTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const closeMenu = useCallback(
    (refocus: boolean) => {
      setPopup(null);
      if (refocus) buttonRef.current?.focus();
    },
    [setPopup],
  );
  const closePicker = useCallback(() => {
    setPopup(null);
    buttonRef.current?.focus();
  }, [setPopup]);

  if (message.system) {
    return (
      <div className="system-note" role="note">
        <span>{systemText(message, nameOf, myId)}</span>
      </div>
    );
  }

  const deleted = message.deletedAt !== null;
  const sent = message.status === "sent";
  const now = new Date();
  const items: MenuItem[] = [];
  const choose = (run: () => void) => () => {
    closeMenu(true);
    run();
  };
  if (canAnswer(message)) {
    items.push({ label: t("messages.reply"), run: choose(() => actions.reply(message)) });
    items.push({ label: t("messages.react"), run: () => setPopup("react") });
  }
  if (canEdit(message, myId, now))
    items.push({ label: t("messages.edit"), run: choose(() => actions.edit(message)) });
  if (sent) items.push({ label: t("messages.deleteForMe"), run: choose(() => actions.deleteForMe(message)) });
  if (canDeleteForEveryone(message, myId, moderator, now)) {
    items.push({
      label: t("messages.deleteForEveryone"),
      danger: true,
      run: choose(() => actions.deleteForEveryone(message)),
    });
  }
  const hasActions = sent && items.length > 0;

  const cancelPress = () => {
    if (pressTimer.current) clearTimeout(pressTimer.current);
    pressTimer.current = null;
  };

  return (
    <div ref={rowRef} className={`msg-row${own ? " is-own" : ""}${above ? " popup-above" : ""}`}>
      <article
        className={`msg ${own ? "msg-own" : "msg-other"}${deleted ? " is-deleted" : ""}${highlighted ? " is-highlighted" : ""}`}
        data-status={message.status}
        data-message-id={sent ? message.id : undefined}
        onContextMenu={(e) => {
          if (!hasActions || (e.target as HTMLElement).closest("a")) return;
          e.preventDefault();
          setPopup("menu");
        }}
        onPointerDown={(e) => {
          if (!hasActions || e.pointerType !== "touch") return;
          cancelPress();
          pressTimer.current = setTimeout(() => setPopup("menu"), LONG_PRESS_MS);
        }}
        onPointerUp={cancelPress}
        onPointerMove={cancelPress}
        onPointerCancel={cancelPress}
      >
        {showSender ? (
          <p className="msg-sender" dir="auto">
            {message.sender.username}
          </p>
        ) : (
          <span className="visually-hidden">
            {t("messages.senderPrefix", { name: own ? t("messages.you") : message.sender.username })}
          </span>
        )}
        {message.replyTo && !deleted ? (
          <ReplyQuote reply={message.replyTo} onShow={actions.showOriginal} />
        ) : null}
        {!deleted && message.files.length > 0 ? <MessageFiles files={message.files} /> : null}
        {deleted ? (
          <p className="msg-body msg-tombstone">{t("messages.deleted")}</p>
        ) : message.body !== "" || message.files.length === 0 ? (
          <MessageText text={message.body} />
        ) : null}
        <footer className="msg-meta">
          {message.editedAt && !deleted ? <span className="msg-edited">{t("messages.edited")}</span> : null}
          <time dateTime={message.createdAt}>{timeLabel(message.createdAt, locale)}</time>
          {own && !deleted ? <Status message={message} onRetry={actions.retry} /> : null}
          {own && !deleted && sent ? <ReadReceipt seq={message.seq} /> : null}
        </footer>
        {!deleted ? (
          <Reactions
            message={message}
            myId={myId}
            nameOf={nameOf}
            onToggle={(emoji) => actions.react(message, emoji)}
          />
        ) : null}
      </article>
      {hasActions ? (
        <div className="msg-actions">
          <button
            ref={buttonRef}
            type="button"
            className="icon-button msg-actions-button"
            aria-label={t("messages.actions")}
            aria-haspopup="menu"
            aria-expanded={popup === "menu"}
            onClick={() => setPopup((p) => (p === "menu" ? null : "menu"))}
          >
            <DotsIcon />
          </button>
          {popup === "menu" ? (
            <MessageMenu
              items={items}
              label={t("messages.actions")}
              buttonRef={buttonRef}
              onClose={closeMenu}
            />
          ) : null}
          {popup === "react" ? (
            <EmojiPicker
              onPick={(emoji) => {
                closePicker();
                actions.react(message, emoji);
              }}
              onClose={closePicker}
            />
          ) : null}
        </div>
      ) : null}
    </div>
  );
});
