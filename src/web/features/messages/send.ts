import type { FileInfo, Message, ReplyRef } from "../../../protocol/index.js";
import { LIMITS } from "../../../protocol/limits.js";
import type { MessengerContext } from "../../app/state.js";
import { applyMessage } from "../../lib/chats.js";
import { newClientId } from "../../lib/ids.js";
import { mergeMessages, pendingMessage, setLocalStatus } from "../../lib/messages.js";
import { sendMessage } from "../../realtime/socket.js";
import { loadLatest, patchHistory } from "./history.js";

/** Shows the message at once as pending, then sends it; the ack turns it into sent or failed. */
export async function send(
  ctx: MessengerContext,
  chatId: string,
  body: string,
  replyTo: Message | null = null,
  files: FileInfo[] = [],
): Promise<void> {
  const { me, histories } = ctx.store.get();
  if (histories[chatId]?.hasNewer) await loadLatest(ctx, chatId);
  const clientId = newClientId();
  const pending = {
    ...pendingMessage(chatId, me, body, clientId, new Date()),
    replyTo: replyRef(replyTo),
    files,
  };
  patchHistory(ctx, chatId, (h) => ({ ...h, items: [...h.items, pending] }));
  await deliver(ctx, chatId, body, clientId, replyTo?.id, files);
}

/** How a pending reply shows its original until the server's copy arrives. */
function replyRef(m: Message | null): ReplyRef | null {
  if (!m) return null;
  return {
    id: m.id,
    seq: m.seq,
    sender: m.sender,
    excerpt: [...m.body].slice(0, LIMITS.replyExcerpt).join(""),
    deleted: m.deletedAt !== null,
  };
}

/** Sends a failed message again with the same clientId, so the server stores it at most once. */
export async function retry(ctx: MessengerContext, chatId: string, clientId: string): Promise<void> {
  const message = ctx.store
    .get()
    .histories[chatId]?.items.find((m) => m.status === "failed" && m.clientId === clientId);
  if (!message) return;
  patchHistory(ctx, chatId, (h) => ({ ...h, items: setLocalStatus(h.items, clientId, "pending") }));
  await deliver(ctx, chatId, message.body, clientId, message.replyTo?.id, message.files);
}

async function deliver(
  ctx: MessengerContext,
  chatId: string,
  body: string,
  clientId: string,
  replyTo: string | undefined,
  files: FileInfo[] = [],
): Promise<void> {
  const ack = await sendMessage(ctx.socket, {
    chatId,
    body,
    clientId,
    ...(replyTo ? { replyTo } : {}),
    ...(files.length > 0 ? { fileIds: files.map((f) => f.id) } : {}),
  });
  if (ack.ok) {
    patchHistory(ctx, chatId, (h) => ({ ...h, items: mergeMessages(h.items, [ack.message]) }));
    ctx.store.set((s) => {
      const chats = applyMessage(s.chats, ack.message, { myId: s.me.id, reading: s.openChatId === chatId });
      return chats ? { ...s, chats } : s;
    });
    return;
  }
  if (ack.error.code === "unauthorized") ctx.signedOut();
  patchHistory(ctx, chatId, (h) => ({
    ...h,
    items: setLocalStatus(h.items, clientId, "failed", ack.error.message),
  }));
}
