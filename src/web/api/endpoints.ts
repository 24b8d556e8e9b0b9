import type {
  ChangesPage,
  Chat,
  CreateChatBody,
  CreateGroupBody,
  LoginBody,
  MarkReadBody,
  MemberRole,
  Message,
  MessagePage,
  RegisterBody,
  SettingsPatch,
  User,
} from "../../protocol/index.js";
import { request } from "./http.js";

const chatPath = (chatId: string) => `/api/chats/${encodeURIComponent(chatId)}`;
const messagePath = (chatId: string, messageId: string) =>
  `${chatPath(chatId)}/messages/${encodeURIComponent(messageId)}`;
const memberPath = (chatId: string, userId: string) =>
  `${chatPath(chatId)}/members/${encodeURIComponent(userId)}`;

export const api = {
  me: () => request<{ user: User }>("GET", "/api/me").then((r) => r.user),
  register: (body: RegisterBody) =>
    request<{ user: User }>("POST", "/api/auth/register", body).then((r) => r.user),
  login: (body: LoginBody) => request<{ user: User }>("POST", "/api/auth/login", body).then((r) => r.user),
  logout: () => request<void>("POST", "/api/auth/logout", {}),
  updateSettings: (patch: SettingsPatch) =>
    request<{ user: User }>("PATCH", "/api/me/settings", patch).then((r) => r.user),

  listChats: () => request<{ chats: Chat[] }>("GET", "/api/chats").then((r) => r.chats),
  createChat: (body: CreateChatBody | CreateGroupBody) =>
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
  /** Everything changed since `cursor` (exclusive); without one, a full sync. */
  changes: (chatId: string, cursor: string | null, limit?: number) => {
    const query = new URLSearchParams();
    if (cursor) query.set("cursor", cursor);
    if (limit) query.set("limit", String(limit));
    const qs = query.size > 0 ? `?${query}` : "";
    return request<ChangesPage>("GET", `${chatPath(chatId)}/changes${qs}`);
  },

  // Groups
  renameGroup: (chatId: string, title: string) =>
    request<{ chat: Chat }>("PATCH", chatPath(chatId), { title }).then((r) => r.chat),
  addMember: (chatId: string, email: string) =>
    request<{ chat: Chat }>("POST", `${chatPath(chatId)}/members`, { email }).then((r) => r.chat),
  changeRole: (chatId: string, userId: string, role: Exclude<MemberRole, "owner">) =>
    request<{ chat: Chat }>("PATCH", memberPath(chatId, userId), { role }).then((r) => r.chat),
  /** Removes a member, or (with one's own id) leaves the group. */
  removeMember: (chatId: string, userId: string) => request<void>("DELETE", memberPath(chatId, userId), {}),

  // Messages
  editMessage: (chatId: string, messageId: string, body: string) =>
    request<{ message: Message }>("PATCH", messagePath(chatId, messageId), { body }).then((r) => r.message),
  deleteMessage: (chatId: string, messageId: string, scope: "me" | "everyone") =>
    request<void>("DELETE", `${messagePath(chatId, messageId)}?for=${scope}`, {}),
  react: (chatId: string, messageId: string, emoji: string) =>
    request<{ message: Message }>(
      "PUT",
      `${messagePath(chatId, messageId)}/reactions/${encodeURIComponent(emoji)}`,
      {},
    ).then((r) => r.message),
  unreact: (chatId: string, messageId: string, emoji: string) =>
    request<{ message: Message }>(
      "DELETE",
      `${messagePath(chatId, messageId)}/reactions/${encodeURIComponent(emoji)}`,
      {},
    ).then((r) => r.message),
};
