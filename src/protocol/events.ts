import type { ApiError } from "./errors.js";
import type { Chat, Message } from "./model.js";
import type { MessageSendPayload } from "./schemas.js";

/** Every event name, declared once. */
export const EVENTS = {
  serverHello: "server:hello",
  messageSend: "message:send",
  messageNew: "message:new",
  messageUpdated: "message:updated",
  messageHidden: "message:hidden",
  chatNew: "chat:new",
  chatUpdated: "chat:updated",
  chatLeft: "chat:left",
  chatCleared: "chat:cleared",
  clientVisibility: "client:visibility",
  chatRead: "chat:read",
  typingStart: "typing:start",
  typingStop: "typing:stop",
  typing: "typing",
  presence: "presence",
} as const;

export type Result<T> = ({ ok: true } & T) | { ok: false; error: ApiError };

export type SendAck = Result<{ message: Message }>;

/** `typing:start` / `typing:stop`: ok, or `not_found` (not a member), `rate_limited`, `invalid_input`. */
// biome-ignore lint/complexity/noBannedTypes: an ok carries nothing else.
export type TypingAck = Result<{}>;

export interface TypingPayload {
  chatId: string;
}

/** Someone started or stopped typing in a chat the receiver belongs to. */
export interface TypingEvent {
  chatId: string;
  userId: string;
  typing: boolean;
}

/**
 * A peer's first socket connected or last socket left. `online` and `lastSeenAt` are `null` when
 * a privacy switch changed so that the two no longer share presence: forget what was shown.
 */
export interface PresenceEvent {
  userId: string;
  online: boolean | null;
  lastSeenAt: string | null;
}

/**
 * A member read the chat up to `seq`; `seq` is `null` when a receipts switch changed so that the
 * two no longer share read positions.
 */
export interface ChatReadEvent {
  chatId: string;
  userId: string;
  seq: number | null;
}

export interface ClientToServerEvents {
  /** Acknowledged only after the message is durably stored. */
  "message:send": (payload: MessageSendPayload, ack: (result: SendAck) => void) => void;
  /** Whether this tab is in view; a socket counts as visible until it says otherwise. */
  "client:visibility": (payload: { visible: boolean }) => void;
  /** At most once per 2 s while typing; the state ends by itself 6 s after the last one. */
  "typing:start": (payload: TypingPayload, ack?: (result: TypingAck) => void) => void;
  "typing:stop": (payload: TypingPayload, ack?: (result: TypingAck) => void) => void;
}

/** What the server says first on every connection. */
export interface Hello {
  /** The server's `PROTOCOL_VERSION`; a client built for another one should reload. */
  protocolVersion: number;
}

export interface ServerToClientEvents {
  /** Right after the connection is set up, before any other event. */
  "server:hello": (hello: Hello) => void;
  /** To every socket of every member except the sending socket. */
  "message:new": (message: Message) => void;
  /**
   * A message changed (edit, delete for everyone, reaction, new excerpt of the message it
   * replies to): to every socket of every member who can see it, the actor's other tabs included.
   */
  "message:updated": (message: Message) => void;
  /** The receiver hid this message for themselves (delete for me), on any of their devices. */
  "message:hidden": (event: { chatId: string; messageId: string }) => void;
  /** A chat that appeared (or came back) in the receiver's list, seen from the receiver's side. */
  "chat:new": (chat: Chat) => void;
  /** The chat as the receiver now sees it (group changes, or the receiver's own view changes). */
  "chat:updated": (chat: Chat) => void;
  /** The receiver left or was removed from the chat: drop it. */
  "chat:left": (event: { chatId: string }) => void;
  /**
   * History up to and including `seq` is gone: cleared for everyone, or for the receiver on
   * another of their devices. Clients drop messages with seq ≤ `seq` only.
   */
  "chat:cleared": (event: { chatId: string; seq: number }) => void;
  /** To the chat's other members who may see it (both share read receipts). */
  "chat:read": (event: ChatReadEvent) => void;
  /** To the chat's other members: renewed every 2 s while typing; `typing: false` when it ends. */
  typing: (event: TypingEvent) => void;
  /** Once to each distinct peer sharing a chat, when both share last seen. */
  presence: (event: PresenceEvent) => void;
}

/** Socket.IO's handshake rejection message when there is no valid session. */
export const UNAUTHORIZED_HANDSHAKE = "unauthorized";
