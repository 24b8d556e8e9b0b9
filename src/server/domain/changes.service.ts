import type { ChangesPage } from "../../protocol/index.js";
import type { ChangesRepository } from "../storage/changes.repository.js";
import { decodeCursor, encodeCursor, type FeedPosition, visibilityFloor } from "./changes-cursor.js";
import { toMessages } from "./chat-view.js";
import type { ChatsService } from "./chats.service.js";
import { messageId } from "./ids.js";

export interface ChangesDeps {
  changes: ChangesRepository;
  chatsService: ChatsService;
}

export type ChangesService = ReturnType<typeof createChangesService>;

/**
 * The changes feed: what a member must apply to catch up from a cursor. Messages come in their
 * current state, filtered by what the member can see now; `hiddenIds` carries what they must
 * drop: the ids below their risen visibility floor (clears), then their own hides. Visibility
 * only ever shrinks, so skipping a message that is invisible now never loses anything.
 */
export function createChangesService({ changes, chatsService }: ChangesDeps) {
  return {
    async since(
      chatId: string,
      userId: string,
      query: { cursor?: string; limit: number },
    ): Promise<ChangesPage> {
      const given = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      const membership = await chatsService.requireMember(chatId, userId);
      const floorNow = visibilityFloor(membership);
      // A full sync: everything visible now, and nothing to drop from a client that holds nothing.
      const start: FeedPosition = given ?? { rev: 0, pos: membership.hiddenPos, floor: floorNow };
      const { limit } = query;

      const { rows, reactions, hidden } = await changes.since({
        chatId,
        viewer: { userId, clearedSeq: membership.clearedSeq, visibleFromSeq: membership.visibleFromSeq },
        afterRev: start.rev,
        afterPos: start.pos,
        limit,
        counters: { lastSeq: membership.lastSeq, lastRev: membership.lastRev },
      });
      const page = rows.slice(0, limit);

      // `limit` bounds hiddenIds too: the cleared range first, then the hides, each resumable.
      const hiddenIds: string[] = [];
      let floor = start.floor;
      if (floorNow > floor) {
        const upTo = Math.min(floorNow, floor + limit);
        for (let seq = floor + 1; seq <= upTo; seq++) hiddenIds.push(messageId(chatId, seq));
        floor = upTo;
      }
      const hiddenPage = hidden.slice(0, limit - hiddenIds.length);
      for (const h of hiddenPage) hiddenIds.push(messageId(chatId, h.seq));

      const next: FeedPosition = {
        rev: Math.max(start.rev, page.at(-1)?.rev ?? 0),
        pos: Math.max(start.pos, hiddenPage.at(-1)?.pos ?? 0),
        floor,
      };
      return {
        messages: toMessages(page, reactions),
        hiddenIds,
        cursor: encodeCursor(next),
        hasMore: rows.length > limit || hidden.length > hiddenPage.length || floor < floorNow,
      };
    },
  };
}
