import type { Chat, Invitation, SessionInfo } from "../../../protocol/index.js";
import { request } from "../../api/http.js";

/** Accounts, invitations and mail links (PROTOCOL.md "Accounts, invitations, mail"). */
export const accountApi = {
  requestPasswordReset: (email: string) => request<void>("POST", "/api/auth/password-reset", { email }),
  confirmPasswordReset: (token: string, password: string) =>
    request<void>("POST", "/api/auth/password-reset/confirm", { token, password }),
  changePassword: (currentPassword: string, newPassword: string) =>
    request<void>("POST", "/api/auth/password", { currentPassword, newPassword }),
  sessions: () => request<{ sessions: SessionInfo[] }>("GET", "/api/me/sessions").then((r) => r.sessions),
  endSession: (id: string) => request<void>("DELETE", `/api/me/sessions/${encodeURIComponent(id)}`, {}),
  /** An invitation, or (the email has an account) the chat, as POST /api/chats answers. */
  invite: (email: string) =>
    request<{ invitation: Invitation } | { chat: Chat }>("POST", "/api/invitations", { email }),
  invitations: () =>
    request<{ invitations: Invitation[] }>("GET", "/api/invitations").then((r) => r.invitations),
  revokeInvitation: (id: string) => request<void>("DELETE", `/api/invitations/${encodeURIComponent(id)}`, {}),
  unsubscribe: (token: string) => request<void>("POST", "/api/email/unsubscribe", { token }),
};
