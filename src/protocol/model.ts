/** The objects that cross the wire. Timestamps are ISO 8601 strings in UTC. */

export interface UserRef {
  id: string;
  username: string;
}

/** The caller's privacy and notification choices (see PROTOCOL.md). */
export interface UserSettings {
  /** Reciprocal: off hides the user's read position from others and theirs from the user. */
  shareReadReceipts: boolean;
  /** Reciprocal: off hides the user's online state and last seen, and everyone else's from them. */
  shareLastSeen: boolean;
  pushPreviews: boolean;
  emailNotifications: boolean;
}

/** A user; `email` and `settings` appear only on the caller's own record. */
export interface User extends UserRef {
  email?: string;
  settings?: UserSettings;
}

/** A member's role in a chat; both members of a direct chat are `"member"`. */
export type MemberRole = "owner" | "admin" | "member";

/** The message a reply answers, in that message's current state. */
export interface ReplyRef {
  id: string;
  seq: number;
  sender: UserRef;
  /** The first 200 characters of its body (all of it when shorter); `""` once deleted. */
  excerpt: string;
  deleted: boolean;
}

export interface Reaction {
  emoji: string;
  /** Who reacted with this emoji. */
  userIds: string[];
}

/** An uploaded file attached to a message (see Files in PROTOCOL.md). */
export interface FileInfo {
  id: string;
  name: string;
  type: string;
  size: number;
  width?: number;
  height?: number;
  url: string;
  thumbnailUrl?: string;
}

export type SystemEvent =
  | "group_created"
  | "member_added"
  | "member_removed"
  | "member_left"
  | "title_changed"
  | "role_changed";

/**
 * What a system message records. `sender` of the message is the user who acted, `body` is `""`.
 * `userIds`: the users concerned (the initial members for `group_created`, none for
 * `title_changed`); `title` is present for `group_created` and `title_changed`.
 */
export interface SystemInfo {
  event: SystemEvent;
  userIds: string[];
  title?: string;
}

export interface Message {
  /** Opaque; sorts in send order within a chat. */
  id: string;
  chatId: string;
  /** 1, 2, 3… per chat, never reused: a gap means a missed message. */
  seq: number;
  /**
   * Per chat: every stored change to any message of the chat (creation, edit, delete for
   * everyone, reaction, a new excerpt of the message it replies to) gets the chat's next rev.
   * Of two copies of one message, the one with the higher rev is current.
   */
  rev: number;
  sender: UserRef;
  /** `""` for a tombstone and for a system message. */
  body: string;
  clientId: string;
  createdAt: string;
  editedAt: string | null;
  /** Set on a tombstone (deleted for everyone): body `""`, no files, reactions or replyTo. */
  deletedAt: string | null;
  replyTo: ReplyRef | null;
  /** In the order each emoji was first used. */
  reactions: Reaction[];
  files: FileInfo[];
  system: SystemInfo | null;
}

export type ChatKind = "direct" | "group";

export interface ChatMember extends UserRef {
  role: MemberRole;
  /** Read position (Receipts); `null` when not shared or not read yet. */
  readSeq: number | null;
  /** Presence; `null` when not shared. */
  online: boolean | null;
  lastSeenAt: string | null;
}

export interface Chat {
  id: string;
  kind: ChatKind;
  /** For a direct chat: the other member's username; for a group: its title. */
  title: string;
  members: ChatMember[];
  lastMessage: Message | null;
  /** Messages from others since the caller last fetched (or marked read) this chat's history. */
  unread: number;
  createdAt: string;
  /** Opaque: where the changes feed of this chat stood for the caller when the chat was read. */
  cursor: string;
  /** A direct chat from someone the caller never exchanged a message with (message requests). */
  request?: boolean;
  /**
   * Present (true) only in a `chat:updated` telling the caller's other tabs that the caller
   * removed the chat from their list; it comes back (as `chat:new`) with the next message.
   */
  removed?: boolean;
}

export interface MessagePage {
  messages: Message[];
  hasMore: boolean;
  /** Only for `around=`: older / newer messages exist beyond this page. */
  hasMoreBefore?: boolean;
  hasMoreAfter?: boolean;
}

/** `GET /api/chats/:id/changes`: merge `messages` by id keeping the higher rev; drop `hiddenIds`. */
export interface ChangesPage {
  messages: Message[];
  hiddenIds: string[];
  cursor: string;
  hasMore: boolean;
}
