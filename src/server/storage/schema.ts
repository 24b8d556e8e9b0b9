import type { Generated } from "kysely";

/**
 * Table shapes as both drivers return them: timestamps are epoch milliseconds (numbers; the
 * PostgreSQL pool parses int8 to number), and "removed" is a nullable timestamp, not a boolean,
 * so the two dialects agree without conversion.
 */
export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  chats: ChatsTable;
  chat_members: ChatMembersTable;
  messages: MessagesTable;
}

export interface UsersTable {
  id: string;
  email: string;
  username: string;
  password_hash: string;
  created_at: number;
}

export interface SessionsTable {
  /** HMAC of the cookie token: a database leak yields no usable cookies. */
  id: string;
  user_id: string;
  created_at: number;
  expires_at: number;
}

export interface ChatsTable {
  id: string;
  kind: "direct" | "group";
  /** "userA:userB" (sorted) for direct chats, so two people share at most one. */
  direct_key: string | null;
  created_at: number;
  /** Per-chat message counter, bumped in the transaction that stores the message. */
  last_seq: Generated<number>;
  last_activity_at: number;
}

export interface ChatMembersTable {
  chat_id: string;
  user_id: string;
  joined_at: number;
  removed_at: number | null;
  /** Messages with seq ≤ this are hidden for this member ("clear for me"). */
  cleared_seq: Generated<number>;
  /** Messages with seq ≤ this count as read. */
  read_seq: Generated<number>;
}

export interface MessagesTable {
  chat_id: string;
  seq: number;
  sender_id: string;
  client_id: string;
  body: string;
  created_at: number;
}
