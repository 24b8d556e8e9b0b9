import { z } from "zod";
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from "./errors.js";
import type { Insights } from "./insights.js";
import type { Chat, Message, MessagePage, User, UserRef } from "./model.js";

/**
 * zod shapes of everything the HTTP API answers. The server serializes each reply through them
 * (so a field that is not declared here never reaches a client) and the OpenAPI document is made
 * from them. The `id`s name the document's components. The types in model.ts and insights.ts stay
 * the readable declarations; the checks at the bottom keep the two in step.
 */

const timestampSchema = z.iso.datetime().describe("ISO 8601 in UTC, e.g. 2026-11-24T22:04:00.000Z");

export const userRefSchema = z.object({ id: z.string(), username: z.string() }).meta({ id: "UserRef" });

export const userSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    email: z.string().optional().describe("Only on the caller's own record."),
  })
  .meta({ id: "User" });

export const messageSchema = z
  .object({
    id: z.string().describe("Opaque; sorts in send order within a chat."),
    chatId: z.string(),
    seq: z.number().int().min(1).describe("1, 2, 3… per chat, never reused: a gap means a missed message."),
    sender: userRefSchema,
    body: z.string(),
    clientId: z.string(),
    createdAt: timestampSchema,
  })
  .meta({ id: "Message" });

export const chatSchema = z
  .object({
    id: z.string(),
    kind: z.enum(["direct", "group"]),
    title: z.string().describe("For a direct chat: the other member's username."),
    members: z.array(userRefSchema),
    lastMessage: messageSchema.nullable(),
    unread: z.number().int().min(0),
  })
  .meta({ id: "Chat" });

export const messagePageSchema = z
  .object({ messages: z.array(messageSchema), hasMore: z.boolean() })
  .meta({ id: "MessagePage" });

export const userReplySchema = z.object({ user: userSchema });
export const chatReplySchema = z.object({ chat: chatSchema });
export const chatListSchema = z.object({ chats: z.array(chatSchema) });

const sentReceived = { sent: z.number().int(), received: z.number().int() };

export const insightsSchema = z
  .object({
    range: z.object({ from: z.string(), to: z.string(), tz: z.string() }),
    byHour: z.array(z.object({ hour: z.number().int().min(0).max(23), ...sentReceived })),
    byWeekdayHour: z.array(z.array(z.number().int())),
    byDay: z.array(z.object({ date: z.string(), ...sentReceived })),
    topChats: z.array(z.object({ chatId: z.string(), title: z.string(), count: z.number().int() })),
    replyTimeSeconds: z.object({
      median: z.number().nullable(),
      p90: z.number().nullable(),
      count: z.number().int(),
      histogram: z.array(
        z.object({ label: z.string(), upToSeconds: z.number().nullable(), count: z.number().int() }),
      ),
    }),
    totals: z.object({
      messages: z.number().int(),
      sent: z.number().int(),
      received: z.number().int(),
      characters: z.number().int(),
    }),
  })
  .meta({ id: "Insights" });

export const healthSchema = z
  .object({
    status: z.enum(["ok", "unavailable"]),
    database: z.enum(["ok", "unreachable"]),
    redis: z.enum(["ok", "unreachable"]).optional(),
  })
  .meta({ id: "Health" });

export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

/** `{"error": {code, message, fields?}}` with `code` limited to `codes` (default: the whole catalogue). */
export function errorBodySchema(codes: readonly ErrorCode[] = ERROR_CODES) {
  return z.object({
    error: z.object({
      code: z.enum(codes as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      fields: z.record(z.string(), z.string()).optional().describe("Per-field reasons, for invalid_input."),
    }),
  });
}

// Compile-time checks: each schema's output is exactly the declared wire type.
// Mutual assignability, plus the same keys at every level (an optional field counts).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? SameKeys<A, B> : false) : false;
type SameKeys<A, B> = A extends readonly (infer I)[]
  ? B extends readonly (infer J)[]
    ? Same<I, J>
    : false
  : A extends object
    ? B extends object
      ? [keyof A] extends [keyof B]
        ? [keyof B] extends [keyof A]
          ? false extends { [K in keyof A & keyof B]: Same<NonNullable<A[K]>, NonNullable<B[K]>> }[keyof A &
              keyof B]
            ? false
            : true
          : false
        : false
      : false
    : true;
const agrees = <T extends true>(): T | undefined => undefined;
agrees<Same<z.output<typeof userRefSchema>, UserRef>>();
agrees<Same<z.output<typeof userSchema>, User>>();
agrees<Same<z.output<typeof messageSchema>, Message>>();
agrees<Same<z.output<typeof chatSchema>, Chat>>();
agrees<Same<z.output<typeof messagePageSchema>, MessagePage>>();
agrees<Same<z.output<typeof insightsSchema>, Insights>>();
agrees<Same<z.output<ReturnType<typeof errorBodySchema>>, ErrorBody>>();
