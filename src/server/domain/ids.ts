import { randomBytes } from "node:crypto";
import { AppError } from "./errors.js";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const SEQ_WIDTH = 10;

/** A random opaque id, e.g. `c5kq…`: 80 bits, lower-case, no separators. */
export function newId(prefix: "u" | "c" | "f"): string {
  const bytes = randomBytes(16);
  let id = prefix;
  for (const byte of bytes) id += ALPHABET[byte & 31];
  return id;
}

/**
 * Message ids are the chat id and the zero-padded seq, so they sort in send order within a chat
 * and a `before`/`after` cursor needs no lookup.
 */
export function messageId(chatId: string, seq: number): string {
  return `${chatId}-${String(seq).padStart(SEQ_WIDTH, "0")}`;
}

/** The seq of a message id of this chat, or an `invalid_input` error naming the field. */
export function seqFromMessageId(chatId: string, id: string, field: string): number {
  const dash = id.lastIndexOf("-");
  const seq = Number(id.slice(dash + 1));
  if (
    dash < 0 ||
    id.slice(0, dash) !== chatId ||
    !/^\d+$/.test(id.slice(dash + 1)) ||
    !Number.isSafeInteger(seq)
  ) {
    throw new AppError("invalid_input", `${field} is not a message id of this chat.`, {
      [field]: "Unknown message id.",
    });
  }
  return seq;
}
