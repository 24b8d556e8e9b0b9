import { z } from "zod";
import { LIMITS } from "./limits.js";
import type { UserSettings } from "./model.js";

/**
 * The one rule for every string of the protocol (HTTP bodies and queries, Socket.IO payloads):
 * well-formed UTF-16 (no lone surrogate, which UTF-8 storage would silently turn into U+FFFD) and no
 * NUL (U+0000, which PostgreSQL cannot store). Anything else is `invalid_input`, so what is
 * acknowledged is exactly what is stored. Build every string field from `text()`.
 */
export function isStorableText(value: string): boolean {
  return value.isWellFormed() && !value.includes("\0");
}

export const text = () =>
  z.string().refine(isStorableText, "Use well-formed Unicode text (no lone surrogates, no NUL).");

/** Whitespace, control and format characters (zero-width spaces and joiners, BOM…) show nothing. */
const VISIBLE = /[^\s\p{Cc}\p{Cf}]/u;

/** Emails compare trimmed and case-insensitively, so they are normalised on the way in. */
export const emailSchema = text()
  .trim()
  .toLowerCase()
  .max(LIMITS.emailMax)
  .pipe(z.email({ message: "Enter a valid email address." }));

export const usernameSchema = text()
  .trim()
  .toLowerCase()
  .regex(
    new RegExp(`^[a-z0-9_.-]{${LIMITS.usernameMin},${LIMITS.usernameMax}}$`),
    `Use ${LIMITS.usernameMin}–${LIMITS.usernameMax} characters: letters, digits, _ . -`,
  );

export const passwordSchema = text()
  .min(LIMITS.passwordMin, `Use at least ${LIMITS.passwordMin} characters.`)
  .max(LIMITS.passwordMax, `Use at most ${LIMITS.passwordMax} characters.`);

export const registerBodySchema = z.object({
  email: emailSchema,
  username: usernameSchema,
  password: passwordSchema,
  /** The token of an invitation link (needed when the server's REGISTRATION is `invite`). */
  invitation: text().min(1).max(256).optional(),
  /** The language mail to this account is written in; default: the request's Accept-Language. */
  locale: z.enum(["en", "de"]).optional(),
});
export type RegisterBody = z.input<typeof registerBodySchema>;

export const loginBodySchema = z.object({
  email: emailSchema,
  // Any length is checked against the stored hash; the upper bound only caps hashing work.
  password: text().min(1, "Enter your password.").max(LIMITS.passwordMax),
});
export type LoginBody = z.input<typeof loginBodySchema>;

/** What a new account starts with. */
export const DEFAULT_SETTINGS: UserSettings = {
  shareReadReceipts: true,
  shareLastSeen: true,
  pushPreviews: true,
  emailNotifications: true,
};

/** Any subset of the settings; an unknown key or a non-boolean is refused and nothing changes. */
export const settingsPatchSchema = z.strictObject({
  shareReadReceipts: z.boolean().optional(),
  shareLastSeen: z.boolean().optional(),
  pushPreviews: z.boolean().optional(),
  emailNotifications: z.boolean().optional(),
});
export type SettingsPatch = z.input<typeof settingsPatchSchema>;

export const createChatBodySchema = z.object({ email: emailSchema });
export type CreateChatBody = z.input<typeof createChatBodySchema>;

export const clearChatBodySchema = z.object({ forEveryone: z.boolean().optional() }).default({});
export type ClearChatBody = z.input<typeof clearChatBodySchema>;

export const markReadBodySchema = z.object({ seq: z.number().int().min(0) });
export type MarkReadBody = z.input<typeof markReadBodySchema>;

export const idSchema = text().min(1).max(128);

export const chatParamsSchema = z.object({ id: idSchema });

export const messagesQuerySchema = z
  .object({
    before: idSchema.optional(),
    after: idSchema.optional(),
    /** A message id of this chat or an ISO date: the page around it (marks nothing read). */
    around: idSchema.optional(),
    limit: z.coerce.number().int().min(1).max(LIMITS.pageMax).default(LIMITS.pageDefault),
  })
  .refine((q) => [q.before, q.after, q.around].filter((v) => v !== undefined).length <= 1, {
    message: "Use one of before, after and around.",
    path: ["after"],
  });

export const messageBodySchema = text()
  .min(1, "A message cannot be empty.")
  .max(LIMITS.bodyMax, `A message holds at most ${LIMITS.bodyMax} characters.`)
  .refine((body) => VISIBLE.test(body), "A message cannot be only whitespace or invisible characters.");

export const messageSendSchema = z
  .object({
    chatId: idSchema,
    /** May be empty when the message carries files; otherwise `messageBodySchema` (checked once, below). */
    body: z.string(),
    clientId: text().min(1).max(LIMITS.clientIdMax),
    /** The id of a message of the same chat that the sender can see. */
    replyTo: idSchema.optional(),
    /** 1–10 ids of the sender's own uploads, each attachable to one message only. */
    fileIds: z
      .array(idSchema)
      .min(1, "Attach at least one file, or leave fileIds out.")
      .max(LIMITS.filesPerMessage, `A message carries at most ${LIMITS.filesPerMessage} files.`)
      .optional(),
  })
  .superRefine((message, ctx) => {
    if (message.fileIds && message.body === "") return;
    const body = messageBodySchema.safeParse(message.body);
    for (const issue of body.success ? [] : body.error.issues)
      ctx.addIssue({ code: "custom", message: issue.message, path: ["body"] });
  });
export type MessageSendPayload = z.input<typeof messageSendSchema>;

// ---- Conversations (protocol v2) ----

export const messageParamsSchema = z.object({ id: idSchema, messageId: idSchema });

export const editMessageBodySchema = z.object({ body: messageBodySchema });
export type EditMessageBody = z.input<typeof editMessageBodySchema>;

export const deleteMessageQuerySchema = z.object({
  for: z.enum(["me", "everyone"], { message: "Use for=me or for=everyone." }),
});
export type DeleteMessageQuery = z.input<typeof deleteMessageQuerySchema>;

/** 1–32 Unicode code points, no control characters or lone surrogates, not only whitespace. */
export const emojiSchema = z
  .string()
  .refine((value) => {
    const length = [...value].length;
    return length >= 1 && length <= LIMITS.emojiMaxCodePoints;
  }, `An emoji is 1–${LIMITS.emojiMaxCodePoints} characters.`)
  .refine((value) => !/[\p{Cc}\p{Cs}]/u.test(value) && value.trim().length > 0, "Not an emoji.");

export const reactionParamsSchema = messageParamsSchema.extend({ emoji: emojiSchema });

export const changesQuerySchema = z.object({
  cursor: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(LIMITS.changesMax).default(LIMITS.changesDefault),
});
export type ChangesQuery = z.input<typeof changesQuerySchema>;

export const groupTitleSchema = z
  .string()
  .trim()
  .min(1, "A group needs a name.")
  .max(LIMITS.groupTitleMax, `A group name holds at most ${LIMITS.groupTitleMax} characters.`);

/**
 * `POST /api/chats` for a group. The member count against GROUP_MAX_MEMBERS (a setting) is
 * checked by the service; here only the shape.
 */
export const createGroupBodySchema = z.object({
  kind: z.literal("group"),
  title: groupTitleSchema,
  emails: z.array(emailSchema).min(1, "Add at least one person."),
});
export type CreateGroupBody = z.input<typeof createGroupBodySchema>;

/** `POST /api/chats` accepts either a direct chat `{email}` or a group `{kind: "group", …}`. */
export const createAnyChatBodySchema = z.union([createGroupBodySchema, createChatBodySchema]);
export type CreateAnyChatBody = z.input<typeof createAnyChatBodySchema>;

/**
 * The body of `POST /api/chats` as the server validates it: `kind: "group"` picks the group shape,
 * anything else is v1's `{email}`, so a failure names the fields of the shape that was meant
 * (a plain union would report both shapes' problems at once).
 */
export const startChatBodySchema = z
  .unknown()
  .transform((body, ctx): z.output<typeof createAnyChatBodySchema> => {
    const isGroup =
      typeof body === "object" && body !== null && (body as { kind?: unknown }).kind === "group";
    const result = (isGroup ? createGroupBodySchema : createChatBodySchema).safeParse(body);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
    }
    return z.NEVER;
  })
  .describe('{email} for a direct chat, or {kind: "group", title, emails} for a group');

export const renameGroupBodySchema = z.object({ title: groupTitleSchema });
export type RenameGroupBody = z.input<typeof renameGroupBodySchema>;

export const addMemberBodySchema = z.object({ email: emailSchema });
export type AddMemberBody = z.input<typeof addMemberBodySchema>;

export const memberParamsSchema = z.object({ id: idSchema, userId: idSchema });

export const changeRoleBodySchema = z.object({ role: z.enum(["admin", "member"]) });
export type ChangeRoleBody = z.input<typeof changeRoleBodySchema>;

/** `PUT|DELETE /api/me/blocks/:userId`. */
export const blockParamsSchema = z.object({ userId: idSchema });

/** Turns zod issues into the protocol's `fields` map (first problem per field). */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.join(".") : "_";
    fields[key] ??= issue.message;
  }
  return fields;
}
