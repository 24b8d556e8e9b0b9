import { z } from "zod";
import type { Message } from "./model.js";
import { messageSchema } from "./responses.js";
import { idSchema, text } from "./schemas.js";

export const SEARCH_QUERY_MAX = 200;
export const SEARCH_LIMIT_DEFAULT = 20;
export const SEARCH_LIMIT_MAX = 50;

/** `GET /api/search` query: `q` is searched as words (never as a query language). */
export const searchQuerySchema = z.object({
  q: text().min(1).max(SEARCH_QUERY_MAX),
  chatId: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(SEARCH_LIMIT_MAX).default(SEARCH_LIMIT_DEFAULT),
  cursor: text().min(1).max(512).optional(),
});
export type SearchQuery = z.input<typeof searchQuerySchema>;

/** `[start, end)` of `message.body` in UTF-16 code units (JavaScript string indices). */
export type HighlightRange = [number, number];

export interface SearchResult {
  message: Message;
  highlights: HighlightRange[];
}

/** `GET /api/search` answer, newest first; `cursor` is null on the last page. */
export interface SearchPage {
  results: SearchResult[];
  cursor: string | null;
}

export const searchPageSchema = z
  .object({
    results: z.array(
      z.object({
        message: messageSchema,
        highlights: z
          .array(z.tuple([z.number().int().min(0), z.number().int().min(0)]))
          .describe("[start, end) ranges of message.body in UTF-16 code units."),
      }),
    ),
    cursor: z.string().nullable().describe("Pass it back for the next (older) page; null on the last."),
  })
  .meta({ id: "SearchPage" });

type SearchPageOut = z.output<typeof searchPageSchema>;
// Compile-time agreement of the schema with the wire type (both directions).
const agree = (page: SearchPage): SearchPageOut => page;
const agreeBack = (page: SearchPageOut): SearchPage => page;
void agree;
void agreeBack;
