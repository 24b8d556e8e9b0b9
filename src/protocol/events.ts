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
} as const;

export type Result<T> = ({ ok: true } & T) | { ok: false; error: ApiError };

export type SendAck = Result<{ message: Message }>;

export interface ClientToServerEvents {
  /** Acknowledged only after the message is durably stored. */
  "message:send": (payload: MessageSendPayload, ack: (result: SendAck) => void) => void;
  /** Whether this tab is in view; a socket counts as visible until it says otherwise. */
  "client:visibility": (payload: { visible: boolean }) => void;
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
}

/** Socket.IO's handshake rejection message when there is no valid session. */
export const UNAUTHORIZED_HANDSHAKE = "unauthorized";
