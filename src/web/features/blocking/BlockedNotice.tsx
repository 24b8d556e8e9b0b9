import type { Chat } from "../../../protocol/index.js";
import { useStore } from "../../app/useStore.js";
import { useT } from "../../i18n/index.js";
import { blocksStore, peerOf } from "./blocks.js";

/** Above the message box of a direct chat whose other member I block. */
export function BlockedNotice({ chat, myId }: { chat: Chat | undefined; myId: string }) {
  const t = useT();
  const peer = chat ? peerOf(chat, myId) : undefined;
  const blocked = useStore(blocksStore, (s) => (peer ? s.users.some((u) => u.id === peer.id) : false));
  if (!peer || !blocked) return null;
  return (
    <p className="blocked-notice" role="status">
      {t("blocking.blockedNotice", { name: peer.username })}
    </p>
  );
}
