import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** A link token (256 random bits) and the SHA-256 that is stored instead of it. */
export function newLinkToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashLinkToken(token) };
}

export function hashLinkToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** An opaque public id (not the stored key) for a row the client may name, e.g. a session. */
export function publicIdOf(secret: string, purpose: string, id: string): string {
  return createHmac("sha256", secret).update(`${purpose}:${id}`).digest("base64url").slice(0, 22);
}

/**
 * A token that proves itself without a database row: `<subject>.<HMAC>` (the unsubscribe link,
 * which must work without signing in and for as long as the mail is kept).
 */
export function signSubject(secret: string, purpose: string, subject: string): string {
  return `${subject}.${createHmac("sha256", secret).update(`${purpose}:${subject}`).digest("base64url")}`;
}

/** The subject of a token made by `signSubject` with the same secret and purpose, or undefined. */
export function verifySubject(secret: string, purpose: string, token: string): string | undefined {
  const dot = token.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const subject = token.slice(0, dot);
  const expected = Buffer.from(signSubject(secret, purpose, subject));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given) ? subject : undefined;
}
