import type { Message } from "../../../protocol/index.js";
import { LIMITS } from "../../../protocol/limits.js";
import { api } from "../../api/endpoints.js";
import { ApiError } from "../../api/http.js";
import { handleError } from "../../app/errors.js";
import { type ChatHistory, emptyHistory, type MessengerContext } from "../../app/state.js";
import { applyChanges, applyUpdate, dropIds, dropUpTo } from "../../lib/conversation.js";
import {
  firstConfirmed,
  hasGap,
  lastConfirmed,
  localOnly,
  mergeMessages,
  trimWindow,
  WINDOW_MAX,
} from "../../lib/messages.js";

/** Page size for scrolling; catch-up asks for the largest page the server allows. */
const PAGE = LIMITS.pageDefault;
/** Past this many catch-up pages it is cheaper to reload the newest page than to walk forward. */
const MAX_CATCH_UP_PAGES = 3;

export function patchHistory(
  ctx: MessengerContext,
  chatId: string,
  update: (h: ChatHistory) => ChatHistory,
): void {
  ctx.store.set((s) => {
    const current = s.histories[chatId] ?? emptyHistory();
    const next = update(current);
    return next === current ? s : { ...s, histories: { ...s.histories, [chatId]: next } };
  });
}

const historyOf = (ctx: MessengerContext, chatId: string) => ctx.store.get().histories[chatId];

/**
 * Replaces the window with the newest page (opening a chat, jumping to the latest). Messages that
 * arrived live while the page was on its way, and unsent local ones, are kept.
 */
export async function loadLatest(ctx: MessengerContext, chatId: string): Promise<void> {
  patchHistory(ctx, chatId, (h) => ({ ...h, loading: "initial", error: null }));
  // Taken before the page is asked for, so the page reflects at least everything up to it.
  const listCursor = ctx.store.get().chats.find((c) => c.id === chatId)?.cursor || null;
  try {
    const page = await api.messages(chatId, { limit: PAGE });
    const newestSeq = page.messages.at(-1)?.seq ?? 0;
    const inPage = new Set(page.messages.map((m) => m.id));
    patchHistory(ctx, chatId, (h) => ({
      // Held copies that changed live while the page was on its way (higher rev) win.
      items: mergeMessages(
        h.items.filter((m) => m.status !== "sent" || m.seq > newestSeq || inPage.has(m.id)),
        page.messages,
      ),
      hasOlder: page.hasMore,
      hasNewer: false,
      loading: "none",
      error: null,
      generation: h.generation + 1,
      cursor: h.cursor ?? listCursor,
    }));
  } catch (error) {
    const message = handleError(ctx, error);
    patchHistory(ctx, chatId, (h) => ({ ...h, loading: "none", error: message }));
  }
}

/** Loads the page before the first message held; trims the newest end to stay bounded. */
export async function loadOlder(ctx: MessengerContext, chatId: string): Promise<void> {
  const h = historyOf(ctx, chatId);
  const first = h && firstConfirmed(h.items);
  if (!h || !first || !h.hasOlder || h.loading !== "none") return;
  patchHistory(ctx, chatId, (x) => ({ ...x, loading: "older" }));
  try {
    const page = await api.messages(chatId, { before: first.id, limit: PAGE });
    patchHistory(ctx, chatId, (x) => {
      const { items, trimmed } = trimWindow(mergeMessages(x.items, page.messages), WINDOW_MAX, "oldest");
      return { ...x, items, hasOlder: page.hasMore, hasNewer: x.hasNewer || trimmed, loading: "none" };
    });
  } catch (error) {
    const message = handleError(ctx, error);
    patchHistory(ctx, chatId, (x) => ({ ...x, loading: "none", error: message }));
  }
}

/** Loads the page after the last message held (the window was trimmed); trims the oldest end. */
export async function loadNewer(ctx: MessengerContext, chatId: string): Promise<void> {
  const h = historyOf(ctx, chatId);
  const last = h && lastConfirmed(h.items);
  if (!h || !last || !h.hasNewer || h.loading !== "none") return;
  patchHistory(ctx, chatId, (x) => ({ ...x, loading: "newer" }));
  try {
    const page = await api.messages(chatId, { after: last.id, limit: PAGE });
    patchHistory(ctx, chatId, (x) => {
      const { items, trimmed } = trimWindow(mergeMessages(x.items, page.messages), WINDOW_MAX, "newest");
      return { ...x, items, hasNewer: page.hasMore, hasOlder: x.hasOlder || trimmed, loading: "none" };
    });
  } catch (error) {
    const message = handleError(ctx, error);
    patchHistory(ctx, chatId, (x) => ({ ...x, loading: "none", error: message }));
  }
}

const catchUps = new Map<string, Promise<void>>();

/**
 * Brings a held window up to the server's state after a reconnect or a seq gap: by replaying the
 * changes feed from the window's cursor (new messages, edits, tombstones, reactions, and what was
 * hidden or cleared for me), or, before a cursor is known, by fetching `after=` the last message.
 * Runs one at a time per chat; merging by id and rev makes items seen twice harmless.
 */
export function catchUp(ctx: MessengerContext, chatId: string): Promise<void> {
  const previous = catchUps.get(chatId) ?? Promise.resolve();
  const run = previous.then(() =>
    historyOf(ctx, chatId)?.cursor ? replayFeed(ctx, chatId) : walkForward(ctx, chatId),
  );
  catchUps.set(chatId, run);
  void run.finally(() => {
    if (catchUps.get(chatId) === run) catchUps.delete(chatId);
  });
  return run;
}

async function walkForward(ctx: MessengerContext, chatId: string): Promise<void> {
  const h = historyOf(ctx, chatId);
  if (!h || h.hasNewer) return; // not held, or the reader is far back: scrolling down fetches.
  if (!lastConfirmed(h.items)) return loadLatest(ctx, chatId);
  try {
    for (let pages = 0; pages < MAX_CATCH_UP_PAGES; pages++) {
      const last = lastConfirmed(historyOf(ctx, chatId)?.items ?? []);
      if (!last) return;
      const page = await api.messages(chatId, { after: last.id, limit: LIMITS.pageMax });
      patchHistory(ctx, chatId, (x) => ({
        ...x,
        items: trimWindow(mergeMessages(x.items, page.messages), WINDOW_MAX, "newest").items,
        hasOlder: x.hasOlder || page.messages.length > 0,
      }));
      if (!page.hasMore) return;
    }
    await loadLatest(ctx, chatId);
  } catch (error) {
    handleError(ctx, error);
  }
}

/** A message from the server (live): merged into the window unless the reader is far back. */
export function receiveIntoHistory(ctx: MessengerContext, message: Message): void {
  const h = historyOf(ctx, message.chatId);
  if (!h || h.hasNewer) return;
  if (hasGap(lastConfirmed(h.items), message.seq)) {
    void catchUp(ctx, message.chatId);
    return;
  }
  patchHistory(ctx, message.chatId, (x) => {
    const items = mergeMessages(x.items, [message]);
    if (items === x.items) return x;
    const trimmed = trimWindow(items, WINDOW_MAX, "newest");
    return { ...x, items: trimmed.items, hasOlder: x.hasOlder || trimmed.trimmed };
  });
}

/** Empties the window (cleared for me, or by someone for everyone); unsent local messages stay. */
export function clearHistory(ctx: MessengerContext, chatId: string): void {
  if (!historyOf(ctx, chatId)) return;
  patchHistory(ctx, chatId, (h) => ({
    ...h,
    items: localOnly(h.items),
    hasOlder: false,
    hasNewer: false,
    generation: h.generation + 1,
  }));
}

/** Past this many feed pages it is cheaper to start again from the newest page. */
const MAX_FEED_PAGES = 10;

async function replayFeed(ctx: MessengerContext, chatId: string): Promise<void> {
  try {
    for (let pages = 0; pages < MAX_FEED_PAGES; pages++) {
      const h = historyOf(ctx, chatId);
      if (!h?.cursor) return;
      const page = await api.changes(chatId, h.cursor, LIMITS.changesMax);
      patchHistory(ctx, chatId, (x) => {
        const { items, trimmed } = trimWindow(applyChanges(x, page), WINDOW_MAX, "newest");
        return { ...x, items, hasOlder: x.hasOlder || trimmed, cursor: page.cursor };
      });
      if (!page.hasMore) return;
    }
    // Far behind: a fresh cursor from the list, then the newest page (which reflects it).
    const chats = await api.listChats();
    const cursor = chats.find((c) => c.id === chatId)?.cursor ?? null;
    patchHistory(ctx, chatId, (x) => ({ ...x, cursor }));
    await loadLatest(ctx, chatId);
  } catch (error) {
    if (error instanceof ApiError && error.code === "not_found") {
      ctx.lostChat(chatId); // removed from the group while away
      return;
    }
    handleError(ctx, error);
  }
}

/** A changed message (`message:updated`, or the answer to my own edit or reaction). */
export function updateInHistory(ctx: MessengerContext, message: Message): void {
  patchHistory(ctx, message.chatId, (h) => {
    const items = applyUpdate(h.items, message);
    return items === h.items ? h : { ...h, items };
  });
}

/** Messages hidden for me (delete for me here or on another device). */
export function hideInHistory(ctx: MessengerContext, chatId: string, ids: string[]): void {
  if (!historyOf(ctx, chatId)) return;
  patchHistory(ctx, chatId, (h) => {
    const items = dropIds(h.items, ids);
    return items === h.items ? h : { ...h, items };
  });
}

/** `chat:cleared {seq}`: only what is up to that seq goes; later messages stay. */
export function clearHistoryUpTo(ctx: MessengerContext, chatId: string, seq: number): void {
  if (!historyOf(ctx, chatId)) return;
  patchHistory(ctx, chatId, (h) => {
    const items = dropUpTo(h.items, seq);
    return items === h.items
      ? h
      : { ...h, items, hasOlder: h.hasOlder && items.some((m) => m.status === "sent") };
  });
}

/**
 * Makes sure the window holds this message (a reply's original), loading older pages until it
 * shows up or the beginning is reached. Resolves whether it is now held.
 */
export async function ensureHeld(ctx: MessengerContext, chatId: string, messageId: string): Promise<boolean> {
  const holds = () => historyOf(ctx, chatId)?.items.some((m) => m.id === messageId) ?? false;
  for (let pages = 0; pages < 200 && !holds(); pages++) {
    const h = historyOf(ctx, chatId);
    if (!h?.hasOlder) break;
    if (h.loading !== "none") await new Promise((r) => setTimeout(r, 50));
    else await loadOlder(ctx, chatId);
    if (historyOf(ctx, chatId)?.error) break;
  }
  return holds();
}
