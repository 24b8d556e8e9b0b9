import { LIMITS } from "../../../protocol/limits.js";
import { handleError } from "../../app/errors.js";
import type { MessengerContext } from "../../app/state.js";
import { localOnly, mergeMessages } from "../../lib/messages.js";
import { patchHistory } from "../messages/history.js";
import type { JumpTarget } from "./jump-requests.js";
import { messagesAround } from "./search-api.js";

/**
 * Replaces the chat's window with the page around a message or a date; scrolling then loads older
 * and newer pages as usual (hasOlder / hasNewer). Resolves the id of the message to show: the
 * message asked for, or the first one of that day (the newest one when the day is past them all);
 * null when the chat has none or the request failed.
 */
export async function loadAround(
  ctx: MessengerContext,
  chatId: string,
  target: JumpTarget,
): Promise<string | null> {
  const around = "messageId" in target ? target.messageId : target.date;
  patchHistory(ctx, chatId, (h) => ({ ...h, loading: "initial", error: null }));
  const listCursor = ctx.store.get().chats.find((c) => c.id === chatId)?.cursor || null;
  try {
    const page = await messagesAround(chatId, around, LIMITS.pageDefault);
    const hasNewer = page.hasMoreAfter ?? false;
    patchHistory(ctx, chatId, (h) => ({
      // Unsent messages of mine stay at the end only while the window reaches the newest message.
      items: mergeMessages(hasNewer ? [] : localOnly(h.items), page.messages),
      hasOlder: page.hasMoreBefore ?? page.hasMore,
      hasNewer,
      loading: "none",
      error: null,
      generation: h.generation + 1,
      cursor: h.cursor ?? listCursor,
    }));
    if ("messageId" in target)
      return page.messages.some((m) => m.id === target.messageId) ? target.messageId : null;
    const from = Date.parse(target.date);
    return (page.messages.find((m) => Date.parse(m.createdAt) >= from) ?? page.messages.at(-1))?.id ?? null;
  } catch (error) {
    const message = handleError(ctx, error);
    patchHistory(ctx, chatId, (h) => ({ ...h, loading: "none", error: message }));
    return null;
  }
}
