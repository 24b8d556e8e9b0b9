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
  message_reactions: MessageReactionsTable;
  hidden_messages: HiddenMessagesTable;
  blocks: BlocksTable;
  push_subscriptions: PushSubscriptionsTable;
  files: FilesTable;
  file_chunks: FileChunksTable;
  account_tokens: AccountTokensTable;
  presence_nodes: PresenceNodesTable;
  presence_sockets: PresenceSocketsTable;
}

/** A `--workers` worker's heartbeat (presence without Redis). */
export interface PresenceNodesTable {
  id: string;
  alive_at: number;
}

/** A connected socket, on the worker that holds it (presence without Redis). */
export interface PresenceSocketsTable {
  socket_id: string;
  user_id: string;
  node_id: string;
}

export interface UsersTable {
  id: string;
  email: string;
  username: string;
  password_hash: string;
  created_at: number;
  /** Settings, 1 or 0 (see UserSettings). */
  share_read_receipts: Generated<number>;
  share_last_seen: Generated<number>;
  push_previews: Generated<number>;
  email_notifications: Generated<number>;
  /** When the user's last socket closed; null while never seen or not yet recorded. */
  last_seen_at: number | null;
  /** Set when the account was deleted: the row stays as "deleted-user" for the messages that name it. */
  deleted_at: number | null;
  /** The language mail to this user is written in ("en", "de"); null: English. */
  locale: Generated<string | null>;
  /** Set by `npm run admin -- disable`: no sign-in, no mail. */
  disabled_at: Generated<number | null>;
  /** When the last unread-messages mail went to this user. */
  email_notified_at: Generated<number | null>;
}

export interface SessionsTable {
  /** HMAC of the cookie token: a database leak yields no usable cookies. */
  id: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  /** Updated at most every few minutes as the session is used (HTTP or a socket handshake). */
  last_used_at: Generated<number | null>;
  user_agent: Generated<string | null>;
}

/** Single-use links: password resets and invitations. */
export interface AccountTokensTable {
  id: string;
  kind: "reset" | "invite";
  /** SHA-256 of the token in the link. */
  token_hash: string;
  /** reset: the account; invite: the inviter (null for invitations made by the admin command). */
  user_id: string | null;
  email: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
}

export interface ChatsTable {
  id: string;
  kind: "direct" | "group";
  /** "userA:userB" (sorted) for direct chats, so two people share at most one. */
  direct_key: string | null;
  created_at: number;
  /** Per-chat message counter, bumped in the transaction that stores the message. */
  last_seq: Generated<number>;
  /** Per-chat change counter: every stored change to a message takes the next one, in its transaction. */
  last_rev: Generated<number>;
  last_activity_at: number;
  /** A group's title; null for direct chats. */
  title: string | null;
}

export type MemberRole = "owner" | "admin" | "member";

export interface ChatMembersTable {
  chat_id: string;
  user_id: string;
  joined_at: number;
  removed_at: number | null;
  /** Messages with seq ≤ this are hidden for this member ("clear for me"). */
  cleared_seq: Generated<number>;
  /** Messages with seq ≤ this count as read. */
  read_seq: Generated<number>;
  role: Generated<MemberRole>;
  /**
   * The first seq this member can see (0 = all): a member added to a group sees the messages
   * from the system message that added them on. Visible to a member: seq > cleared_seq and
   * seq ≥ visible_from_seq and not in hidden_messages.
   */
  visible_from_seq: Generated<number>;
  /** Left or removed from a group: the chat answers this member 404 everywhere. */
  left_at: number | null;
  /** Last position used in hidden_messages for this member. */
  hidden_pos: Generated<number>;
  /**
   * 1 on the receiver's side of a direct chat started by someone they never wrote to: a message
   * request until they accept it (back to 0) or send a message in it.
   */
  request: Generated<number>;
}

export interface MessagesTable {
  chat_id: string;
  seq: number;
  sender_id: string;
  client_id: string;
  body: string;
  created_at: number;
  /** The chat's rev of the latest change to this message. */
  rev: number;
  /**
   * The rev it was stored with (rev = created_rev: never changed since). Rises with seq in a chat;
   * null for messages stored before migration 014.
   */
  created_rev: number | null;
  edited_at: number | null;
  /** Set for a tombstone (deleted for everyone): body is "" and reply_to_seq null. */
  deleted_at: number | null;
  reply_to_seq: number | null;
  /** JSON of the protocol's SystemInfo, for messages the server writes when a group changes. */
  system: string | null;
  /** JSON of the attached files (StoredFileRef[]), set once they are attached; null: none. */
  files: Generated<string | null>;
}

export interface MessageReactionsTable {
  chat_id: string;
  seq: number;
  emoji: string;
  user_id: string;
  /** The rev of the change that added it: orders the people who reacted with one emoji. */
  rev: number;
  /** The rev at which this emoji was first used on the message (while it stayed): orders the emoji. */
  emoji_rev: number;
}

/** Delete for me. */
export interface HiddenMessagesTable {
  chat_id: string;
  user_id: string;
  seq: number;
  /**
   * The member's hidden_pos when hidden: the changes feed resumes this stream by it. Negative
   * (-seq) for a message withheld from a blocker when it was stored: never in any feed.
   */
  pos: number;
}

/** `blocker_id` blocks `blocked_id` (see domain/reach.service.ts). */
export interface BlocksTable {
  blocker_id: string;
  blocked_id: string;
  created_at: number;
}

/** A browser's Web Push subscription, owned by the session that made it (it ends with it). */
export interface PushSubscriptionsTable {
  endpoint: string;
  user_id: string;
  session_id: string;
  /** base64url of the browser's P-256 public key (65 bytes) and auth secret (16 bytes). */
  p256dh: string;
  auth: string;
  created_at: number;
}

/** An upload; sent once `seq` is set (see migration 008). */
export interface FilesTable {
  id: string;
  owner_id: string;
  name: string;
  /** Detected from the content. */
  type: string;
  size: number;
  width: number | null;
  height: number | null;
  blob_key: string;
  thumb_key: string | null;
  thumb_size: number | null;
  created_at: number;
  /** The chat and clientId of the message it was claimed for; null while unclaimed. */
  chat_id: string | null;
  client_id: string | null;
  /** The message's seq once stored with it. */
  seq: number | null;
}

/** FILE_STORAGE=database: a blob's bytes in order. */
export interface FileChunksTable {
  blob_key: string;
  n: number;
  data: Uint8Array;
}
