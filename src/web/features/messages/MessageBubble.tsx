import { memo } from "react";
import { AlertIcon, CheckIcon, ClockIcon } from "../../app/icons.js";
import { timeLabel } from "../../lib/days.js";
import type { ClientMessage } from "../../lib/messages.js";
import { MessageText } from "./MessageText.js";

interface Props {
  message: ClientMessage;
  own: boolean;
  showSender: boolean;
  onRetry: (clientId: string) => void;
}

function Status({ message, onRetry }: { message: ClientMessage; onRetry: (clientId: string) => void }) {
  if (message.status === "pending") {
    return (
      <span className="msg-status" title="Sending">
        <ClockIcon />
        <span className="visually-hidden">Sending</span>
      </span>
    );
  }
  if (message.status === "failed") {
    return (
      <span className="msg-status is-failed">
        <AlertIcon />
        <span>Not sent</span>
        <button
          type="button"
          className="retry-button"
          onClick={() => onRetry(message.clientId)}
          title={message.failure}
        >
          Retry
        </button>
      </span>
    );
  }
  return (
    <span className="msg-status" title="Sent">
      <CheckIcon />
      <span className="visually-hidden">Sent</span>
    </span>
  );
}

/** One message. Own messages carry their delivery state; a failed one offers Retry. */
export const MessageBubble = memo(function MessageBubble({ message, own, showSender, onRetry }: Props) {
  return (
    <div className={own ? "msg-row is-own" : "msg-row"}>
      <article className={`msg ${own ? "msg-own" : "msg-other"}`} data-status={message.status}>
        {showSender ? (
          <p className="msg-sender">{message.sender.username}</p>
        ) : (
          <span className="visually-hidden">{own ? "You" : message.sender.username}: </span>
        )}
        <MessageText text={message.body} />
        <footer className="msg-meta">
          <time dateTime={message.createdAt}>{timeLabel(message.createdAt)}</time>
          {own ? <Status message={message} onRetry={onRetry} /> : null}
        </footer>
      </article>
    </div>
  );
});
