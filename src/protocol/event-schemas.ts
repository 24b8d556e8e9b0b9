import { z } from "zod";
import type { ClientToServerEvents, EVENTS, ServerToClientEvents } from "./events.js";
import { visibilitySchema } from "./push.js";
import { chatSchema, errorBodySchema, messageSchema } from "./responses.js";
import { messageSendSchema } from "./schemas.js";

/**
 * The Socket.IO events with zod shapes of their payloads and acknowledgements: what
 * docs/api.md's generated event reference (`npm run docs:api`) is made from. Every event in
 * `EVENTS` needs an entry; the checks at the bottom keep them equal to the typed event maps.
 */

export const helloSchema = z.object({ protocolVersion: z.number().int().min(1) }).meta({ id: "Hello" });

export const sendAckSchema = z.union([
  z.object({ ok: z.literal(true), message: messageSchema }),
  z.object({
    ok: z.literal(false),
    error: errorBodySchema(["invalid_input", "not_found", "rate_limited", "unavailable"]).shape.error,
  }),
]);

export const chatClearedSchema = z.object({ chatId: z.string(), seq: z.number().int().min(0) });
export const messageHiddenSchema = z.object({ chatId: z.string(), messageId: z.string() });
export const chatLeftSchema = z.object({ chatId: z.string() });
export const typingPayloadSchema = z.object({ chatId: z.string().min(1).max(128) });
export const typingAckSchema = z.union([
  z.object({ ok: z.literal(true) }),
  z.object({
    ok: z.literal(false),
    error: errorBodySchema(["invalid_input", "not_found", "rate_limited"]).shape.error,
  }),
]);
export const typingEventSchema = z.object({ chatId: z.string(), userId: z.string(), typing: z.boolean() });
export const presenceEventSchema = z.object({
  userId: z.string(),
  online: z.boolean().nullable(),
  lastSeenAt: z.iso.datetime().nullable(),
});
export const chatReadEventSchema = z.object({
  chatId: z.string(),
  userId: z.string(),
  seq: z.number().int().min(0).nullable(),
});

type EventName = (typeof EVENTS)[keyof typeof EVENTS];

export interface EventSchema {
  direction: "client to server" | "server to client";
  /** When it is sent, and to whom. */
  summary: string;
  payload: z.ZodType;
  /** For a client event with an acknowledgement callback: what the callback receives. */
  ack?: z.ZodType;
}

export const EVENT_SCHEMAS = {
  "server:hello": {
    direction: "server to client",
    summary: "First event on every connection. A client built for another protocol version should reload.",
    payload: helloSchema,
  },
  "message:send": {
    direction: "client to server",
    summary:
      "Send a message; acknowledged only after it is durably stored (a retry with the same clientId stores nothing new).",
    payload: messageSendSchema,
    ack: sendAckSchema,
  },
  "message:new": {
    direction: "server to client",
    summary: "A stored message, to every socket of every member except the sending socket.",
    payload: messageSchema,
  },
  "chat:new": {
    direction: "server to client",
    summary: "A chat that appeared (or came back) in the receiver's list, as the receiver sees it.",
    payload: chatSchema,
  },
  "chat:cleared": {
    direction: "server to client",
    summary:
      "History up to and including seq is gone: cleared for everyone (to every member), or by the receiver for themselves on another device. Drop only messages with seq ≤ seq.",
    payload: chatClearedSchema,
  },
  "message:updated": {
    direction: "server to client",
    summary:
      "A message changed (edit, delete for everyone, reaction, new excerpt of the message it replies to): to every socket of every member who can see it, the actor's other tabs included. Keep the higher rev.",
    payload: messageSchema,
  },
  "message:hidden": {
    direction: "server to client",
    summary: "The receiver deleted this message for themselves, on any of their devices.",
    payload: messageHiddenSchema,
  },
  "chat:updated": {
    direction: "server to client",
    summary:
      "The chat as the receiver now sees it: after a group change, or after their own view changed on another device (read, clear for me; removed: true when removed from their list).",
    payload: chatSchema,
  },
  "chat:left": {
    direction: "server to client",
    summary: "The receiver left or was removed from the group: drop the chat.",
    payload: chatLeftSchema,
  },
  "client:visibility": {
    direction: "client to server",
    summary:
      "Whether this tab is in view (document.visibilityState). A socket counts as visible until it says otherwise; a new message is pushed (Web Push) only to members without a visible socket.",
    payload: visibilitySchema,
  },
  "chat:read": {
    direction: "server to client",
    summary:
      "A member read the chat up to seq (POST /api/chats/:id/read or fetching the newest page): to the other members, only between two users who both share read receipts. seq null: a switch changed and the two no longer share them.",
    payload: chatReadEventSchema,
  },
  "typing:start": {
    direction: "client to server",
    summary:
      "The caller is typing in a chat they belong to; send at most once per 2 s while typing. The state ends by itself 6 s after the last one, and at once when the socket disconnects.",
    payload: typingPayloadSchema,
    ack: typingAckSchema,
  },
  "typing:stop": {
    direction: "client to server",
    summary: "The caller stopped typing (sent the message, cleared the field).",
    payload: typingPayloadSchema,
    ack: typingAckSchema,
  },
  typing: {
    direction: "server to client",
    summary:
      "To the other members' sockets: typing true (renewed at most every 2 s while it lasts), then typing false when it ends (stop, 6 s without renewal, disconnect). A client also drops a typing state 6 s after its last renewal (the typist's whole node may have died).",
    payload: typingEventSchema,
  },
  presence: {
    direction: "server to client",
    summary:
      "A user's first socket connected or last socket left (on any node; a dead node's users within PRESENCE_TTL_S): once to each distinct peer sharing a chat, only when both share last seen. online/lastSeenAt null: a switch changed and the two no longer share presence.",
    payload: presenceEventSchema,
  },
} as const satisfies Record<EventName, EventSchema>;

// Compile-time checks: the schemas describe exactly what the typed event maps carry.
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const agrees = <T extends true>(): T | undefined => undefined;
type Payload<F> = F extends (payload: infer P, ...rest: never[]) => void ? P : never;
type Ack<F> = F extends (payload: never, ack: (result: infer R) => void) => void ? R : never;
type Out<K extends keyof typeof EVENT_SCHEMAS> = z.output<(typeof EVENT_SCHEMAS)[K]["payload"]>;
agrees<Mutual<Out<"server:hello">, Payload<ServerToClientEvents["server:hello"]>>>();
agrees<Mutual<z.input<typeof messageSendSchema>, Payload<ClientToServerEvents["message:send"]>>>();
agrees<Mutual<z.output<typeof sendAckSchema>, Ack<ClientToServerEvents["message:send"]>>>();
agrees<Mutual<Out<"message:new">, Payload<ServerToClientEvents["message:new"]>>>();
agrees<Mutual<Out<"chat:new">, Payload<ServerToClientEvents["chat:new"]>>>();
agrees<Mutual<Out<"chat:cleared">, Payload<ServerToClientEvents["chat:cleared"]>>>();
agrees<Mutual<Out<"message:updated">, Payload<ServerToClientEvents["message:updated"]>>>();
agrees<Mutual<Out<"message:hidden">, Payload<ServerToClientEvents["message:hidden"]>>>();
agrees<Mutual<Out<"chat:updated">, Payload<ServerToClientEvents["chat:updated"]>>>();
agrees<Mutual<Out<"chat:left">, Payload<ServerToClientEvents["chat:left"]>>>();
agrees<Mutual<z.input<typeof visibilitySchema>, Payload<ClientToServerEvents["client:visibility"]>>>();
agrees<Mutual<Out<"chat:read">, Payload<ServerToClientEvents["chat:read"]>>>();
agrees<Mutual<Out<"typing">, Payload<ServerToClientEvents["typing"]>>>();
agrees<Mutual<Out<"presence">, Payload<ServerToClientEvents["presence"]>>>();
agrees<Mutual<z.input<typeof typingPayloadSchema>, Payload<ClientToServerEvents["typing:start"]>>>();
agrees<Mutual<z.output<typeof typingAckSchema>, Ack<ClientToServerEvents["typing:stop"]>>>();
