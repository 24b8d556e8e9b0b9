import { createContext, useContext, useState } from "react";
import type { Chat } from "../../../protocol/index.js";
import { CheckIcon } from "../../app/icons.js";
import { useT } from "../../i18n/index.js";
import { receiptOf } from "../../lib/presence.js";

export interface ReceiptsView {
  chat: Chat | undefined;
  myId: string;
  /** My own switch: off, I see no one's read position. */
  iShare: boolean;
}

/** Provided by the open conversation, read by each of my own messages. */
export const ReceiptsContext = createContext<ReceiptsView | null>(null);

/**
 * Next to my own stored message (whose "sent" tick is the first): a second tick once the other person read it (direct chats), or
 * "Seen by 3" with the list on click (groups). Nothing when read positions are not shared.
 */
export function ReadReceipt({ seq }: { seq: number }) {
  const t = useT();
  const view = useContext(ReceiptsContext);
  const [open, setOpen] = useState(false);
  if (!view?.chat) return null;
  const receipt = receiptOf(view.chat, { seq }, view.myId, view.iShare);
  if (receipt.kind === "read") {
    return (
      <span className="msg-read" role="img" aria-label={t("presence.read")} title={t("presence.read")}>
        <CheckIcon />
      </span>
    );
  }
  if (receipt.kind !== "seen") return null;
  return (
    <span className="msg-seen">
      <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t("presence.seenBy", { count: receipt.by.length })}
      </button>
      {open ? (
        <ul className="msg-seen-list" aria-label={t("presence.seenByTitle")}>
          {receipt.by.map((m) => (
            <li key={m.id} dir="auto">
              {m.username}
            </li>
          ))}
        </ul>
      ) : null}
    </span>
  );
}
