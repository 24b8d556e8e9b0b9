import { z } from "zod";
import { LIMITS } from "./limits.js";
import { chatSchema } from "./responses.js";
import { emailSchema, idSchema, passwordSchema, text } from "./schemas.js";

/*
 * Accounts, invitations, mail (PROTOCOL.md v2): request and reply shapes, and the wire types they
 * agree with.
 */

/** One of the caller's signed-in sessions (GET /api/me/sessions). */
export interface SessionInfo {
  /** Opaque; not the cookie nor its stored key. */
  id: string;
  createdAt: string;
  lastUsedAt: string;
  userAgent: string | null;
  /** The session of this request. */
  current: boolean;
}

/** A pending invitation the caller sent. */
export interface Invitation {
  id: string;
  email: string;
  createdAt: string;
  expiresAt: string;
}

const linkTokenSchema = text().min(1, "The link is incomplete.").max(256);

export const passwordResetBodySchema = z.object({ email: emailSchema });
export type PasswordResetBody = z.input<typeof passwordResetBodySchema>;

export const passwordResetConfirmBodySchema = z.object({ token: linkTokenSchema, password: passwordSchema });
export type PasswordResetConfirmBody = z.input<typeof passwordResetConfirmBodySchema>;

export const changePasswordBodySchema = z.object({
  currentPassword: text().min(1, "Enter your current password.").max(LIMITS.passwordMax),
  newPassword: passwordSchema,
});
export type ChangePasswordBody = z.input<typeof changePasswordBodySchema>;

export const sessionParamsSchema = z.object({ id: idSchema });

export const createInvitationBodySchema = z.object({ email: emailSchema });
export type CreateInvitationBody = z.input<typeof createInvitationBodySchema>;

export const invitationParamsSchema = z.object({ id: idSchema });

export const unsubscribeBodySchema = z.object({ token: linkTokenSchema });
export type UnsubscribeBody = z.input<typeof unsubscribeBodySchema>;

const timestampSchema = z.iso.datetime();

export const sessionInfoSchema = z
  .object({
    id: z.string(),
    createdAt: timestampSchema,
    lastUsedAt: timestampSchema,
    userAgent: z.string().nullable(),
    current: z.boolean(),
  })
  .meta({ id: "Session" });

export const sessionListSchema = z.object({ sessions: z.array(sessionInfoSchema) });

export const invitationSchema = z
  .object({ id: z.string(), email: z.string(), createdAt: timestampSchema, expiresAt: timestampSchema })
  .meta({ id: "Invitation" });

export const invitationReplySchema = z.object({ invitation: invitationSchema });
export const invitationListSchema = z.object({ invitations: z.array(invitationSchema) });
/** POST /api/invitations: an invitation, or for an email that has an account the chat (as POST /api/chats). */
export const invitationOrChatReplySchema = z.union([invitationReplySchema, z.object({ chat: chatSchema })]);

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const agrees = <T extends true>(): T | undefined => undefined;
agrees<Same<z.output<typeof sessionInfoSchema>, SessionInfo>>();
agrees<Same<z.output<typeof invitationSchema>, Invitation>>();
