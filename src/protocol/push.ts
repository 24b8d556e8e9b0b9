import { z } from "zod";
import { LIMITS } from "./limits.js";
import { text } from "./schemas.js";

/** Push endpoints are URLs a push service hands the browser; real ones are well under this. */
const ENDPOINT_MAX = 2048;
/** base64url of `bytes` bytes, with or without padding. */
const base64url = (bytes: number, what: string) => {
  const chars = Math.ceil((bytes * 4) / 3);
  const padding = (4 - (chars % 4)) % 4;
  return text().regex(
    new RegExp(`^[A-Za-z0-9_-]{${chars}}={0,${padding}}$`),
    `${what} must be ${bytes} bytes, base64url.`,
  );
};

/** `PushSubscription.toJSON()` of the browser (extra fields such as expirationTime are ignored). */
export const pushSubscriptionBodySchema = z.object({
  endpoint: text().min(1).max(ENDPOINT_MAX),
  keys: z.object({
    p256dh: base64url(65, "p256dh"),
    auth: base64url(16, "auth"),
  }),
});
export type PushSubscriptionBody = z.input<typeof pushSubscriptionBodySchema>;

export const pushUnsubscribeBodySchema = z.object({ endpoint: text().min(1).max(ENDPOINT_MAX) });

export const pushKeyReplySchema = z
  .object({
    publicKey: z.string().describe("The server's VAPID public key, base64url (applicationServerKey)."),
  })
  .meta({ id: "PushKey" });

/** What a push message carries (encrypted, RFC 8291): the service worker shows it. */
export interface PushPayload {
  chatId: string;
  messageId: string;
  /** The chat's title as the receiver sees it (the sender's name for a direct chat). */
  title: string;
  /** The sender's username. */
  sender: string;
  /** The first 100 characters of the message, only when the receiver has `pushPreviews` on. */
  body?: string;
}

export const visibilitySchema = z.object({ visible: z.boolean() });

export const deleteAccountBodySchema = z.object({
  password: text().min(1, "Enter your password.").max(LIMITS.passwordMax),
  messages: z.enum(["keep", "erase"], { message: 'messages must be "keep" or "erase".' }),
});
export type DeleteAccountBody = z.input<typeof deleteAccountBodySchema>;

/** The name a deleted account's messages show. */
export const DELETED_USERNAME = "deleted-user";
