import type { Chat, MemberRole } from "../../../protocol/index.js";
import { api } from "../../api/endpoints.js";
import type { MessengerContext } from "../../app/state.js";
import { chatUpdated, forgetChat, receiveChat } from "./chat-actions.js";

/** Creates a group with me as its owner; every listed person becomes a member. */
export async function createGroup(ctx: MessengerContext, title: string, emails: string[]): Promise<Chat> {
  const chat = await api.createChat({ kind: "group", title, emails });
  receiveChat(ctx, chat);
  return chat;
}

export async function renameGroup(ctx: MessengerContext, chatId: string, title: string): Promise<void> {
  chatUpdated(ctx, await api.renameGroup(chatId, title));
}

export async function addMember(ctx: MessengerContext, chatId: string, email: string): Promise<void> {
  chatUpdated(ctx, await api.addMember(chatId, email));
}

export async function changeRole(
  ctx: MessengerContext,
  chatId: string,
  userId: string,
  role: Exclude<MemberRole, "owner">,
): Promise<void> {
  chatUpdated(ctx, await api.changeRole(chatId, userId, role));
}

/** Removes a member; with my own id, leaves the group (it disappears here at once). */
export async function removeMember(ctx: MessengerContext, chatId: string, userId: string): Promise<void> {
  await api.removeMember(chatId, userId);
  if (userId === ctx.store.get().me.id) {
    forgetChat(ctx, chatId);
    return;
  }
  // The chat:updated that follows carries the server's view; until then the member is gone here.
  ctx.store.set((s) => ({
    ...s,
    chats: s.chats.map((c) =>
      c.id === chatId ? { ...c, members: c.members.filter((m) => m.id !== userId) } : c,
    ),
  }));
}
