import type { ChatMember, Message } from "../../src/protocol/index.js";
import type { ClientMessage } from "../../src/web/lib/messages.js";

/** People, a fixed "now" and messages for the web client's pure logic tests. */
export const ann = { id: "u-ann", username: "ann" };
export const ben = { id: "u-ben", username: "ben" };
export const NOW = new Date(Date.UTC(2026, 10, 24, 12, 0));
const names: Record<string, string> = { "u-ann": "ann", "u-ben": "ben", "u-cat": "cat" };
export const nameOf = (id: string) => names[id] ?? "someone";

/** A stored message of `ben` with seq (and rev) `seq`, sent a minute before NOW. */
export function msg(seq: number, patch: Partial<Message> = {}): Message {
  return {
    id: `m${String(seq).padStart(4, "0")}`,
    chatId: "chat",
    seq,
    rev: seq,
    sender: ben,
    body: `body ${seq}`,
    clientId: `c${seq}`,
    createdAt: new Date(NOW.getTime() - 60_000).toISOString(),
    editedAt: null,
    deletedAt: null,
    replyTo: null,
    reactions: [],
    files: [],
    system: null,
    ...patch,
  };
}
export const sent = (m: Message): ClientMessage => ({ ...m, status: "sent" });
export const member = (user: { id: string; username: string }, role: ChatMember["role"]): ChatMember => ({
  ...user,
  role,
  readSeq: null,
  online: null,
  lastSeenAt: null,
});
