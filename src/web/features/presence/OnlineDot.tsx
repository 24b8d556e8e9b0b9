import type { Chat } from "../../../protocol/index.js";
import { useT } from "../../i18n/index.js";
import { peerOf } from "../../lib/presence.js";
import "./presence.css";

/** A green dot on a direct chat's avatar while the other person is online (and shares it). */
export function OnlineDot({ chat, myId }: { chat: Chat; myId: string }) {
  const t = useT();
  if (peerOf(chat, myId)?.online !== true) return null;
  return (
    <span
      className="online-dot"
      role="img"
      aria-label={t("presence.onlineDot")}
      title={t("presence.onlineDot")}
    />
  );
}
