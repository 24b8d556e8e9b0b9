import type { MessagePage, SearchPage } from "../../protocol/index.js";
import type { MessagesRepository } from "../storage/messages.repository.js";
import type { SearchPosition, SearchRepository } from "../storage/search.repository.js";
import { toMessages } from "./chat-view.js";
import type { ChatsService } from "./chats.service.js";
import { AppError } from "./errors.js";
import { seqFromMessageId } from "./ids.js";
import { RateLimiter } from "./rate-limiter.js";
import { ftsQuery, highlightRanges, queryWords, SHORT_PREFIX_COST, tsQuery } from "./search-text.js";

export interface SearchDeps {
  search: SearchRepository;
  messages: MessagesRepository;
  chatsService: ChatsService;
  dialect: "sqlite" | "postgres";
  /** Searches per user per minute (0: no limit): each one may read much of the index. */
  searchesPerMinute: number;
  now: () => number;
}

/** An ISO 8601 date or date-time (`2025-03-01`, `2025-03-01T10:00:00.000Z`, `…+02:00`). */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

const badCursor = () =>
  new AppError("invalid_input", "cursor is not a cursor of this search.", { cursor: "Unknown cursor." });

/** Opaque to clients: the last result's key (and on SQLite its rowid, the order walked in). */
function encodeCursor(position: SearchPosition): string {
  const key: (number | string)[] = [position.createdAt, position.chatId, position.seq];
  if (position.rowid !== undefined) key.push(position.rowid);
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

function decodeCursor(cursor: string, sqlite: boolean): SearchPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === (sqlite ? 4 : 3)) {
      const [createdAt, chatId, seq, rowid] = value;
      const valid =
        Number.isSafeInteger(createdAt) &&
        typeof chatId === "string" &&
        Number.isSafeInteger(seq) &&
        (!sqlite || Number.isSafeInteger(rowid));
      if (valid) return sqlite ? { createdAt, chatId, seq, rowid } : { createdAt, chatId, seq };
    }
  } catch {
    // falls through to the error below
  }
  throw badCursor();
}

export type SearchService = ReturnType<typeof createSearchService>;

export function createSearchService(deps: SearchDeps) {
  const { search, messages, chatsService } = deps;
  const limiter = new RateLimiter(deps.searchesPerMinute, 60_000, deps.now);

  return {
    /** `GET /api/search`: the caller's visible messages matching every word of `q` by prefix. */
    async search(
      userId: string,
      query: { q: string; chatId?: string; limit: number; cursor?: string },
    ): Promise<SearchPage> {
      const words = queryWords(query.q);
      const wait = limiter.hit(userId, words.some((w) => w.short) ? SHORT_PREFIX_COST : 1);
      if (wait > 0)
        throw new AppError("rate_limited", `Too many searches: try again in ${wait} s.`, undefined, wait);
      if (words.length === 0)
        throw new AppError("invalid_input", "Search for at least one word.", {
          q: "Type a word to search for.",
        });
      if (query.chatId !== undefined) await chatsService.requireMember(query.chatId, userId);
      const { rows, reactions, next } = await search.search({
        userId,
        match: deps.dialect === "sqlite" ? ftsQuery(words) : tsQuery(words),
        chatId: query.chatId,
        after: query.cursor === undefined ? undefined : decodeCursor(query.cursor, deps.dialect === "sqlite"),
        limit: query.limit,
      });
      return {
        results: toMessages(rows, reactions).map((message) => ({
          message,
          highlights: highlightRanges(message.body, words),
        })),
        cursor: next === null ? null : encodeCursor(next),
      };
    },

    /**
     * `GET /api/chats/:id/messages?around=`: the page around a message (by id) or around the first
     * message created at or after a date (the newest page if none is); marks nothing read.
     */
    async around(chatId: string, userId: string, around: string, limit: number): Promise<MessagePage> {
      const membership = await chatsService.requireMember(chatId, userId);
      const viewer = { userId, clearedSeq: membership.clearedSeq, visibleFromSeq: membership.visibleFromSeq };
      let anchor: number | undefined;
      if (around.startsWith(`${chatId}-`)) anchor = seqFromMessageId(chatId, around, "around");
      else {
        const at = ISO_DATE.test(around) ? Date.parse(around) : Number.NaN;
        if (Number.isNaN(at))
          throw new AppError("invalid_input", "around is neither a message id of this chat nor a date.", {
            around: "Use a message id or an ISO date.",
          });
        anchor = await search.firstVisibleAtOrAfter(chatId, viewer, at);
      }
      if (anchor === undefined) {
        const newest = await messages.page({ chatId, viewer, limit });
        const list = toMessages(newest.rows, newest.reactions);
        return {
          messages: list,
          hasMore: newest.hasMore,
          hasMoreBefore: newest.hasMore,
          hasMoreAfter: false,
        };
      }
      const [before, after] = await Promise.all([
        messages.page({ chatId, viewer, beforeSeq: anchor, limit }),
        messages.page({ chatId, viewer, afterSeq: anchor - 1, limit }),
      ]);
      // About half on each side; a side with too few leaves its room to the other.
      const older = Math.min(before.rows.length, Math.max(Math.floor(limit / 2), limit - after.rows.length));
      const newer = Math.min(after.rows.length, limit - older);
      const rows = [...before.rows.slice(before.rows.length - older), ...after.rows.slice(0, newer)];
      const list = toMessages(rows, [...before.reactions, ...after.reactions]);
      const hasMoreBefore = before.hasMore || before.rows.length > older;
      return {
        messages: list,
        hasMore: hasMoreBefore,
        hasMoreBefore,
        hasMoreAfter: after.hasMore || after.rows.length > newer,
      };
    },
  };
}
