import { describe, expect, it } from "vitest";
import type { Message } from "../src/protocol/index.js";
import {
  type ClientMessage,
  hasGap,
  lastConfirmed,
  mergeMessages,
  pendingMessage,
  setLocalStatus,
  trimWindow,
} from "../src/web/lib/messages.js";

const alice = { id: "u-alice", username: "alice" };
const bob = { id: "u-bob", username: "bob" };

function msg(seq: number, sender = bob, clientId = `c${seq}`): Message {
  return {
    id: `m${String(seq).padStart(4, "0")}`,
    chatId: "chat",
    seq,
    sender,
    body: `body ${seq}`,
    clientId,
    createdAt: new Date(Date.UTC(2026, 10, 24, 12, seq)).toISOString(),
    rev: seq,
    editedAt: null,
    deletedAt: null,
    replyTo: null,
    reactions: [],
    files: [],
    system: null,
  };
}
const sent = (m: Message): ClientMessage => ({ ...m, status: "sent" });
const seqs = (items: readonly ClientMessage[]) =>
  items.map((m) => (m.status === "sent" ? m.seq : m.clientId));

describe("mergeMessages", () => {
  it.each([
    {
      name: "appends newer messages in seq order",
      current: [1, 2],
      incoming: [4, 3],
      expected: [1, 2, 3, 4],
    },
    { name: "prepends an older page", current: [51, 52], incoming: [49, 50], expected: [49, 50, 51, 52] },
    {
      name: "drops duplicates by id (ack + message:new + catch-up)",
      current: [1, 2, 3],
      incoming: [2, 3, 3],
      expected: [1, 2, 3],
    },
    { name: "fills a gap", current: [1, 4], incoming: [2, 3], expected: [1, 2, 3, 4] },
    { name: "starts from nothing", current: [], incoming: [2, 1], expected: [1, 2] },
  ])("$name", ({ current, incoming, expected }) => {
    const merged = mergeMessages(
      current.map((s) => sent(msg(s))),
      incoming.map((s) => msg(s)),
    );
    expect(seqs(merged)).toEqual(expected);
  });

  it("returns the same array when nothing is new, and keeps held objects", () => {
    const held = [sent(msg(1)), sent(msg(2))];
    expect(mergeMessages(held, [msg(2)])).toBe(held);
    const merged = mergeMessages(held, [msg(3)]);
    expect(merged[0]).toBe(held[0]);
  });

  it("replaces my pending message by the server's copy with the same clientId, and keeps other local ones last", () => {
    const now = new Date();
    const items = [
      sent(msg(1)),
      pendingMessage("chat", alice, "hi", "k1", now),
      pendingMessage("chat", alice, "yo", "k2", now),
    ];
    const merged = mergeMessages(items, [msg(2, alice, "k1")]);
    expect(seqs(merged)).toEqual([1, 2, "k2"]);
    expect(merged[1]?.status).toBe("sent");
  });

  it("does not settle my pending message with another member's message that reuses its clientId", () => {
    const items = [pendingMessage("chat", alice, "hi", "same", new Date())];
    expect(seqs(mergeMessages(items, [msg(1, bob, "same")]))).toEqual([1, "same"]);
  });
});

describe("setLocalStatus", () => {
  it("marks a local message failed with a reason, then pending again for a retry", () => {
    const items = [sent(msg(1, alice, "k0")), pendingMessage("chat", alice, "hi", "k1", new Date())];
    const failed = setLocalStatus(items, "k1", "failed", "offline");
    expect(failed[1]).toMatchObject({ status: "failed", failure: "offline", clientId: "k1" });
    expect(failed[0]).toBe(items[0]);
    const retrying = setLocalStatus(failed, "k1", "pending");
    expect(retrying[1]?.status).toBe("pending");
    expect(retrying[1]?.failure).toBeUndefined();
  });
});

describe("trimWindow", () => {
  const window = (n: number) => Array.from({ length: n }, (_, i) => sent(msg(i + 1)));
  it.each([
    { keep: "oldest" as const, expected: [1, 2, 3] },
    { keep: "newest" as const, expected: [3, 4, 5] },
  ])("keeps the $keep messages", ({ keep, expected }) => {
    const { items, trimmed } = trimWindow(window(5), 3, keep);
    expect(seqs(items)).toEqual(expected);
    expect(trimmed).toBe(true);
  });

  it("leaves a small window alone and never drops local messages", () => {
    const small = window(2);
    expect(trimWindow(small, 3, "newest")).toEqual({ items: small, trimmed: false });
    const withLocal = [...window(4), pendingMessage("chat", alice, "x", "k", new Date())];
    expect(seqs(trimWindow(withLocal, 2, "oldest").items)).toEqual([1, 2, "k"]);
  });
});

describe("hasGap", () => {
  it.each([
    { last: undefined, incoming: 7, gap: false },
    { last: 3, incoming: 4, gap: false },
    { last: 3, incoming: 3, gap: false },
    { last: 3, incoming: 5, gap: true },
  ])("last $last, incoming $incoming → $gap", ({ last, incoming, gap }) => {
    const held = last === undefined ? [] : [sent(msg(last))];
    expect(hasGap(lastConfirmed(held), incoming)).toBe(gap);
  });
});
