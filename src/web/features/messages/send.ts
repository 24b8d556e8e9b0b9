import { newClientId } from "../../../client/ids.js";
import { sendOnce } from "../../../client/send.js";
import type { FileInfo, Message, ReplyRef } from "../../../protocol/index.js";
import { LIMITS } from "../../../protocol/limits.js";
import { serverText } from "../../app/errors.js";
import type { MessengerContext } from "../../app/state.js";
import { applyMessage } from "../../lib/chats.js";
import { mergeMessages, pendingMessage, setLocalStatus } from "../../lib/messages.js";
import { loadLatest, patchHistory } from "./history.js";
import type { QueuedSend } from "./outbox-store.js";

/*
 * Every message goes through the outbox (IndexedDB) before it leaves: it is sent at once when
 * online, and otherwise waits there, shown as queued, across reloads and closed tabs, until the
 * next connect sends it with the same clientId (the server stores a clientId once). Sends leave
 * one at a time, in the order they were written, so a queue flushed on reconnect stays in order.
 */

/** How long a send waits for the server's acknowledgement before it goes back to the outbox. */
const SEND_TIMEOUT_MS = 10_000;

let lastOrder = 0;
const nextOrder = () => (lastOrder = Math.max(lastOrder + 1, Date.now()));

/** Shows the message at once as pending (or queued when offline), then sends it when it can. */
export async function send(
  ctx: MessengerContext,
  chatId: string,
  body: string,
  replyTo: Message | null = null,
  files: FileInfo[] = [],
): Promise<void> {
  const { me, histories } = ctx.store.get();
  if (histories[chatId]?.hasNewer && ctx.socket.connected) await loadLatest(ctx, chatId);
  const item: QueuedSend = {
    clientId: newClientId(),
    userId: me.id,
    chatId,
    body,
    replyToId: replyTo?.id ?? null,
    replyTo: replyRef(replyTo),
    files,
    createdAt: new Date().toISOString(),
    order: nextOrder(),
  };
  show(ctx, item, "pending");
  await ctx.outbox.put(item);
  // "Queued" promises the message survives a closed tab: only once IndexedDB holds it.
  if (!ctx.socket.connected) markQueued(ctx, item);
  await flushOutbox(ctx);
}

/** Sends a failed message again with the same clientId, so the server stores it at most once. */
export async function retry(ctx: MessengerContext, chatId: string, clientId: string): Promise<void> {
  const message = ctx.store
    .get()
    .histories[chatId]?.items.find((m) => m.status === "failed" && m.clientId === clientId);
  if (!message) return;
  await ctx.outbox.put({
    clientId,
    userId: ctx.store.get().me.id,
    chatId,
    body: message.body,
    replyToId: message.replyTo?.id ?? null,
    replyTo: message.replyTo,
    files: message.files,
    createdAt: message.createdAt,
    order: nextOrder(),
  });
  await flushOutbox(ctx);
}

/** After a reload: what was left unsent shows as queued in its chat. */
export async function restoreOutbox(ctx: MessengerContext): Promise<void> {
  for (const item of await ctx.outbox.list(ctx.store.get().me.id)) {
    show(ctx, item, ctx.socket.connected ? "pending" : "queued");
  }
}

const flushes = new WeakMap<MessengerContext, Promise<void>>();

/**
 * Sends what the outbox holds, oldest first, one at a time. A send meeting no connection stops
 * the flush (the rest stays queued for the next connect); one the server refuses leaves the
 * outbox and shows as failed, with Retry.
 */
export function flushOutbox(ctx: MessengerContext): Promise<void> {
  const running = flushes.get(ctx);
  if (running) return running.then(() => flushOutbox(ctx));
  const run = (async () => {
    const tried = new Set<string>();
    for (;;) {
      const next = (await ctx.outbox.list(ctx.store.get().me.id)).find((i) => !tried.has(i.clientId));
      if (!next) return;
      tried.add(next.clientId);
      if (!ctx.socket.connected) {
        markQueued(ctx, next);
        return;
      }
      if (!(await deliver(ctx, next))) return;
    }
  })();
  flushes.set(ctx, run);
  void run.finally(() => flushes.get(ctx) === run && flushes.delete(ctx));
  return run;
}

/** False when the connection failed under it (the message stays queued). */
async function deliver(ctx: MessengerContext, item: QueuedSend): Promise<boolean> {
  const { chatId, body, clientId, replyToId, files = [] } = item;
  patchHistory(ctx, chatId, (h) => ({ ...h, items: setLocalStatus(h.items, clientId, "pending") }));
  const outcome = await sendOnce(
    ctx.socket,
    {
      chatId,
      body,
      clientId,
      ...(replyToId ? { replyTo: replyToId } : {}),
      ...(files.length > 0 ? { fileIds: files.map((f) => f.id) } : {}),
    },
    SEND_TIMEOUT_MS,
  );
  if (outcome.ok) {
    const { message } = outcome;
    await ctx.outbox.remove(clientId);
    patchHistory(ctx, chatId, (h) => ({ ...h, items: mergeMessages(h.items, [message]) }));
    ctx.store.set((s) => {
      const chats = applyMessage(s.chats, message, { myId: s.me.id, reading: s.openChatId === chatId });
      return chats ? { ...s, chats } : s;
    });
    return true;
  }
  const { error } = outcome;
  if (outcome.retry) {
    // Offline, no ack in time, or `unavailable`: it waits in the outbox for the next connect.
    markQueued(ctx, item);
    return false;
  }
  await ctx.outbox.remove(clientId);
  if (error.code === "unauthorized") ctx.signedOut();
  patchHistory(ctx, chatId, (h) => ({
    ...h,
    items: setLocalStatus(h.items, clientId, "failed", serverText(error.message, error.code)),
  }));
  return true;
}

/** Puts the message in its chat's window (once), as sending or as queued. */
function show(ctx: MessengerContext, item: QueuedSend, status: "pending" | "queued"): void {
  const { me } = ctx.store.get();
  patchHistory(ctx, item.chatId, (h) => {
    if (h.items.some((m) => m.clientId === item.clientId && m.sender.id === me.id)) return h;
    const pending = {
      ...pendingMessage(item.chatId, me, item.body, item.clientId, new Date(item.createdAt)),
      replyTo: item.replyTo,
      files: item.files ?? [],
      status,
    };
    return { ...h, items: [...h.items, pending] };
  });
}

function markQueued(ctx: MessengerContext, item: QueuedSend): void {
  patchHistory(ctx, item.chatId, (h) => ({ ...h, items: setLocalStatus(h.items, item.clientId, "queued") }));
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
