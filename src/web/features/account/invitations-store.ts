import type { Chat, Invitation } from "../../../protocol/index.js";
import { createStore } from "../../lib/store.js";
import { accountApi } from "./account-api.js";

/** The caller's pending invitations, shared by the sidebar list and "Invite by email". */
export const invitationsStore = createStore<Invitation[]>([]);

export async function refreshInvitations(): Promise<void> {
  const list = await accountApi.invitations();
  invitationsStore.set(() => list);
}

/** Invites `email`; answers the chat instead when the email has an account by now. */
export async function sendInvitation(email: string): Promise<{ invitation: Invitation } | { chat: Chat }> {
  const reply = await accountApi.invite(email);
  if ("invitation" in reply) {
    const invitation = reply.invitation;
    invitationsStore.set((list) => [invitation, ...list.filter((i) => i.email !== invitation.email)]);
  }
  return reply;
}

export async function revokeInvitation(id: string): Promise<void> {
  await accountApi.revokeInvitation(id);
  invitationsStore.set((list) => list.filter((i) => i.id !== id));
}
