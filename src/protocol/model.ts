/** The objects that cross the wire. Timestamps are ISO 8601 strings in UTC. */

export interface UserRef {
  id: string;
  username: string;
}

/** A user; `email` appears only on the caller's own record. */
export interface User extends UserRef {
  email?: string;
}

export interface Message {
  /** Opaque; sorts in send order within a chat. */
  id: string;
  chatId: string;
  /** 1, 2, 3… per chat, never reused: a gap means a missed message. */
  seq: number;
  sender: UserRef;
  body: string;
  clientId: string;
  createdAt: string;
}

export type ChatKind = "direct" | "group";

export interface Chat {
  id: string;
  kind: ChatKind;
  /** For a direct chat: the other member's username. */
  title: string;
  members: UserRef[];
  lastMessage: Message | null;
  /** Messages from others since the caller last fetched (or marked read) this chat's history. */
  unread: number;
}

export interface MessagePage {
  messages: Message[];
  hasMore: boolean;
}
