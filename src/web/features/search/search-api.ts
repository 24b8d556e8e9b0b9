import type { MessagePage, SearchPage } from "../../../protocol/index.js";
import { request } from "../../api/http.js";

/** `GET /api/search`: newest first; pass the answer's cursor back for the next page. */
export function searchMessages(
  q: string,
  options: { chatId?: string; cursor?: string; limit?: number } = {},
) {
  const query = new URLSearchParams({ q });
  if (options.chatId) query.set("chatId", options.chatId);
  if (options.cursor) query.set("cursor", options.cursor);
  if (options.limit) query.set("limit", String(options.limit));
  return request<SearchPage>("GET", `/api/search?${query}`);
}

/** The page around a message id or an ISO date (marks nothing read). */
export function messagesAround(chatId: string, around: string, limit: number) {
  const query = new URLSearchParams({ around, limit: String(limit) });
  return request<MessagePage>("GET", `/api/chats/${encodeURIComponent(chatId)}/messages?${query}`);
}
