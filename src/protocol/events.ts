import type { ApiError } from "./errors.js";
import type { Chat, Message } from "./model.js";
import type { MessageSendPayload } from "./schemas.js";

/** Every event name, declared once. */
export const EVENTS = {
  serverHello: "server:hello",
  messageSend: "message:send",
  messageNew: "message:new",
  chatNew: "chat:new",
  chatCleared: "chat:cleared",
} as const;

export type Result<T> = ({ ok: true } & T) | { ok: false; error: ApiError };

export type SendAck = Result<{ message: Message }>;

export interface ClientToServerEvents {
  /** Acknowledged only after the message is durably stored. */
  "message:send": (payload: MessageSendPayload, ack: (result: SendAck) => void) => void;
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
  /** A chat that appeared (or came back) in the receiver's list, seen from the receiver's side. */
  "chat:new": (chat: Chat) => void;
  /** A member cleared the chat for everyone. */
  "chat:cleared": (event: { chatId: string }) => void;
}

/** Socket.IO's handshake rejection message when there is no valid session. */
export const UNAUTHORIZED_HANDSHAKE = "unauthorized";
