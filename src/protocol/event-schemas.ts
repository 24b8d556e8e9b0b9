import { z } from "zod";
import type { ClientToServerEvents, EVENTS, ServerToClientEvents } from "./events.js";
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

export const chatClearedSchema = z.object({ chatId: z.string() });

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
    summary: "A member cleared the chat for everyone.",
    payload: chatClearedSchema,
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
