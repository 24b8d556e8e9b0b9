import { z } from "zod";
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from "./errors.js";
import type { Insights } from "./insights.js";
import type { ChangesPage, Chat, Message, MessagePage, User, UserRef } from "./model.js";

/**
 * zod shapes of everything the HTTP API answers. The server serializes each reply through them
 * (so a field that is not declared here never reaches a client) and the OpenAPI document is made
 * from them. The `id`s name the document's components. The types in model.ts and insights.ts stay
 * the readable declarations; the checks at the bottom keep the two in step.
 */

const timestampSchema = z.iso.datetime().describe("ISO 8601 in UTC, e.g. 2026-11-24T22:04:00.000Z");

export const userRefSchema = z.object({ id: z.string(), username: z.string() }).meta({ id: "UserRef" });

export const userSettingsSchema = z
  .object({
    shareReadReceipts: z.boolean(),
    shareLastSeen: z.boolean(),
    pushPreviews: z.boolean(),
    emailNotifications: z.boolean(),
  })
  .meta({ id: "UserSettings" });

export const userSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    email: z.string().optional().describe("Only on the caller's own record."),
    settings: userSettingsSchema.optional().describe("Only on the caller's own record."),
  })
  .meta({ id: "User" });

const replyRefSchema = z
  .object({
    id: z.string(),
    seq: z.number().int().min(1),
    sender: userRefSchema,
    excerpt: z.string().describe("The first 200 characters of its body; empty once deleted."),
    deleted: z.boolean(),
  })
  .meta({ id: "ReplyRef" });

const reactionSchema = z.object({ emoji: z.string(), userIds: z.array(z.string()) }).meta({ id: "Reaction" });

export const fileInfoSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.string(),
    size: z.number().int(),
    width: z.number().int().optional(),
    height: z.number().int().optional(),
    url: z.string(),
    thumbnailUrl: z.string().optional(),
  })
  .meta({ id: "File" });

const systemInfoSchema = z
  .object({
    event: z.enum([
      "group_created",
      "member_added",
      "member_removed",
      "member_left",
      "title_changed",
      "role_changed",
    ]),
    userIds: z.array(z.string()),
    title: z.string().optional(),
  })
  .meta({ id: "SystemInfo" });

export const messageSchema = z
  .object({
    id: z.string().describe("Opaque; sorts in send order within a chat."),
    chatId: z.string(),
    seq: z.number().int().min(1).describe("1, 2, 3… per chat, never reused: a gap means a missed message."),
    rev: z
      .number()
      .int()
      .min(0)
      .describe(
        "The chat's change counter at this message's latest change: keep the copy with the higher rev.",
      ),
    sender: userRefSchema,
    body: z.string(),
    clientId: z.string(),
    createdAt: timestampSchema,
    editedAt: timestampSchema.nullable(),
    deletedAt: timestampSchema.nullable().describe("Set on a tombstone (deleted for everyone)."),
    replyTo: replyRefSchema.nullable(),
    reactions: z.array(reactionSchema).describe("Emoji in the order first used."),
    files: z.array(fileInfoSchema),
    system: systemInfoSchema.nullable(),
  })
  .meta({ id: "Message" });

const chatMemberSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    role: z.enum(["owner", "admin", "member"]),
    readSeq: z.number().int().nullable(),
    online: z.boolean().nullable(),
    lastSeenAt: timestampSchema.nullable(),
  })
  .meta({ id: "ChatMember" });

export const chatSchema = z
  .object({
    id: z.string(),
    kind: z.enum(["direct", "group"]),
    title: z.string().describe("For a direct chat: the other member's username; for a group: its title."),
    members: z.array(chatMemberSchema),
    lastMessage: messageSchema.nullable(),
    unread: z.number().int().min(0),
    createdAt: timestampSchema,
    cursor: z.string().describe("Where the changes feed of this chat stood for the caller when it was read."),
    request: z.boolean().optional(),
    removed: z.boolean().optional().describe("Only in chat:updated: the caller removed it from their list."),
  })
  .meta({ id: "Chat" });

export const messagePageSchema = z
  .object({
    messages: z.array(messageSchema),
    hasMore: z.boolean(),
    hasMoreBefore: z.boolean().optional().describe("Only for around=: older messages exist."),
    hasMoreAfter: z.boolean().optional().describe("Only for around=: newer messages exist."),
  })
  .meta({ id: "MessagePage" });

export const changesPageSchema = z
  .object({
    messages: z
      .array(messageSchema)
      .describe("Created or changed since the cursor, in rev order, current state."),
    hiddenIds: z.array(z.string()).describe("Ids the caller must drop: cleared or hidden for them."),
    cursor: z.string(),
    hasMore: z.boolean(),
  })
  .meta({ id: "ChangesPage" });

export const messageReplySchema = z.object({ message: messageSchema });
export const fileReplySchema = z.object({ file: fileInfoSchema });

export const userReplySchema = z.object({ user: userSchema });
export const chatReplySchema = z.object({ chat: chatSchema });
export const chatListSchema = z.object({ chats: z.array(chatSchema) });
/** `GET /api/me/blocks`: the people the caller blocks, by name. */
export const blockedUsersSchema = z.object({ users: z.array(userRefSchema) }).meta({ id: "BlockedUsers" });

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
agrees<Same<z.output<typeof changesPageSchema>, ChangesPage>>();
agrees<Same<z.output<typeof insightsSchema>, Insights>>();
agrees<Same<z.output<ReturnType<typeof errorBodySchema>>, ErrorBody>>();
