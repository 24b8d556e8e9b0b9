import type {
  Chat,
  CreateChatBody,
  LoginBody,
  MarkReadBody,
  MessagePage,
  RegisterBody,
  User,
} from "../../protocol/index.js";
import { request } from "./http.js";

const chatPath = (chatId: string) => `/api/chats/${encodeURIComponent(chatId)}`;

export const api = {
  me: () => request<{ user: User }>("GET", "/api/me").then((r) => r.user),
  register: (body: RegisterBody) =>
    request<{ user: User }>("POST", "/api/auth/register", body).then((r) => r.user),
  login: (body: LoginBody) => request<{ user: User }>("POST", "/api/auth/login", body).then((r) => r.user),
  logout: () => request<void>("POST", "/api/auth/logout", {}),

  listChats: () => request<{ chats: Chat[] }>("GET", "/api/chats").then((r) => r.chats),
  createChat: (body: CreateChatBody) =>
    request<{ chat: Chat }>("POST", "/api/chats", body).then((r) => r.chat),
  removeChat: (chatId: string) => request<void>("DELETE", chatPath(chatId), {}),
  clearChat: (chatId: string, forEveryone: boolean) =>
    request<void>("POST", `${chatPath(chatId)}/clear`, forEveryone ? { forEveryone: true } : {}),
  markRead: (chatId: string, body: MarkReadBody) => request<void>("POST", `${chatPath(chatId)}/read`, body),

  /** Without before/after: the newest page. Fetching history also marks the chat read. */
  messages: (chatId: string, page: { before?: string; after?: string; limit?: number } = {}) => {
    const query = new URLSearchParams();
    if (page.before) query.set("before", page.before);
    if (page.after) query.set("after", page.after);
    if (page.limit) query.set("limit", String(page.limit));
    const qs = query.size > 0 ? `?${query}` : "";
    return request<MessagePage>("GET", `${chatPath(chatId)}/messages${qs}`);
  },
};
