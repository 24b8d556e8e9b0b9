import type { Chat, ChatMember, Message, UserRef } from "../../protocol/index.js";
import type { ChatListData } from "../storage/chats.repository.js";
import type { MessageRow } from "../storage/messages.repository.js";
import { messageId } from "./ids.js";

export function toMessage(row: MessageRow): Message {
  return {
    id: messageId(row.chat_id, row.seq),
    chatId: row.chat_id,
    seq: row.seq,
    sender: { id: row.sender_id, username: row.sender_username },
    body: row.body,
    clientId: row.client_id,
    createdAt: new Date(row.created_at).toISOString(),
    rev: row.seq,
    editedAt: null,
    deletedAt: null,
    replyTo: null,
    reactions: [],
    files: [],
    system: null,
  };
}

/** A direct chat is titled after the other person; a group after its members. */
export function chatTitle(kind: Chat["kind"], members: UserRef[], viewerId: string): string {
  const others = members.filter((m) => m.id !== viewerId);
  if (kind === "direct") return others[0]?.username ?? members[0]?.username ?? "";
  return others.map((m) => m.username).join(", ");
}

/** Turns the chat-list rows into protocol Chats, as the viewer sees them, keeping row order. */
export function assembleChats(data: ChatListData, viewerId: string): Chat[] {
  const membersByChat = new Map<string, ChatMember[]>();
  for (const m of data.members) {
    const list = membersByChat.get(m.chat_id) ?? [];
    list.push({
      id: m.id,
      username: m.username,
      role: "member",
      readSeq: null,
      online: null,
      lastSeenAt: null,
    });
    membersByChat.set(m.chat_id, list);
  }
  return data.chats.map((row) => {
    const members = membersByChat.get(row.id) ?? [];
    const lastMessage =
      row.m_seq === null
        ? null
        : toMessage({
            chat_id: row.id,
            seq: row.m_seq,
            sender_id: row.m_sender_id ?? "",
            sender_username: row.m_sender_username ?? "",
            client_id: row.m_client_id ?? "",
            body: row.m_body ?? "",
            created_at: row.m_created_at ?? 0,
          });
    return {
      id: row.id,
      kind: row.kind,
      title: chatTitle(row.kind, members, viewerId),
      members,
      lastMessage,
      unread: data.unread.get(row.id) ?? 0,
      createdAt: new Date(row.created_at).toISOString(),
      cursor: "",
    };
  });
}
