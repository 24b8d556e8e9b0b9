import { describe, expect, it } from "vitest";
import type { Chat, Message } from "../src/protocol/index.js";
import { applyMessage } from "../src/web/lib/chats.js";
import { applyChanges, applyUpdate, dropIds, dropUpTo, updatePreview } from "../src/web/lib/conversation.js";
import { type ClientMessage, mergeMessages, pendingMessage } from "../src/web/lib/messages.js";
import { ann, msg, NOW, sent } from "./support/web-fixtures.js";

const held = (...seqs: number[]) => seqs.map((s) => sent(msg(s)));
const view = (items: readonly ClientMessage[]) =>
  items.map((m) => (m.status === "sent" ? `${m.seq}@${m.rev}${m.deletedAt ? "x" : ""}` : m.clientId));

describe("mergeMessages keeps the copy with the higher rev", () => {
  it.each([
    { name: "a newer rev replaces the held copy", heldRev: 3, incomingRev: 7, expected: ["1@7"] },
    { name: "an older rev (a late page) changes nothing", heldRev: 7, incomingRev: 3, expected: ["1@7"] },
    { name: "the same rev changes nothing", heldRev: 5, incomingRev: 5, expected: ["1@5"] },
  ])("$name", ({ heldRev, incomingRev, expected }) => {
    const items = [sent(msg(1, { rev: heldRev }))];
    expect(view(mergeMessages(items, [msg(1, { rev: incomingRev })]))).toEqual(expected);
  });
});

describe("applyUpdate (message:updated)", () => {
  it.each([
    {
      name: "an edit of a held message replaces it",
      held: [1, 2],
      update: msg(2, { rev: 9 }),
      expected: ["1@1", "2@9"],
    },
    { name: "a stale update is ignored", held: [1, 2], update: msg(2, { rev: 1 }), expected: ["1@1", "2@2"] },
    {
      name: "a message not held is not added",
      held: [1, 2],
      update: msg(5, { rev: 9 }),
      expected: ["1@1", "2@2"],
    },
    {
      name: "a tombstone replaces the message",
      held: [1],
      update: msg(1, { rev: 4, body: "", deletedAt: NOW.toISOString() }),
      expected: ["1@4x"],
    },
  ])("$name", ({ held: seqs, update, expected }) => {
    expect(view(applyUpdate(held(...seqs), update))).toEqual(expected);
  });

  it("returns the same array when nothing changes", () => {
    const items = held(1, 2);
    expect(applyUpdate(items, msg(2))).toBe(items);
  });
});

describe("dropIds and dropUpTo", () => {
  const local = pendingMessage("chat", ann, "typing", "k1", NOW);
  it.each([
    {
      name: "drops hidden ids",
      run: (i: ClientMessage[]) => dropIds(i, ["m0002"]),
      expected: ["1@1", "3@3", "k1"],
    },
    {
      name: "ignores ids not held",
      run: (i: ClientMessage[]) => dropIds(i, ["m0099"]),
      expected: ["1@1", "2@2", "3@3", "k1"],
    },
    { name: "clears up to seq only", run: (i: ClientMessage[]) => dropUpTo(i, 2), expected: ["3@3", "k1"] },
    {
      name: "clearing below the window keeps it",
      run: (i: ClientMessage[]) => dropUpTo(i, 0),
      expected: ["1@1", "2@2", "3@3", "k1"],
    },
  ])("$name (unsent messages stay)", ({ run, expected }) => {
    expect(view(run([...held(1, 2, 3), local]))).toEqual(expected);
  });
});

describe("applyChanges (the changes feed after a reconnect)", () => {
  it.each([
    {
      name: "new messages append, edits and tombstones replace, hidden ids go",
      window: { items: held(1, 2, 3), hasOlder: false, hasNewer: false },
      page: {
        messages: [msg(2, { rev: 6 }), msg(3, { rev: 7, deletedAt: NOW.toISOString() }), msg(4, { rev: 8 })],
        hiddenIds: ["m0001"],
      },
      expected: ["2@6", "3@7x", "4@8"],
    },
    {
      name: "items seen live already come again harmlessly",
      window: { items: [sent(msg(1)), sent(msg(2, { rev: 9 }))], hasOlder: false, hasNewer: false },
      page: { messages: [msg(2, { rev: 9 }), msg(2, { rev: 5 })], hiddenIds: [] },
      expected: ["1@1", "2@9"],
    },
    {
      name: "a hidden id wins over a changed copy in the same page",
      window: { items: held(1, 2), hasOlder: false, hasNewer: false },
      page: { messages: [msg(2, { rev: 9 })], hiddenIds: ["m0002"] },
      expected: ["1@1"],
    },
    {
      name: "messages before the window's start are left for scrolling back",
      window: { items: held(10, 11), hasOlder: true, hasNewer: false },
      page: { messages: [msg(3, { rev: 12 }), msg(12, { rev: 13 })], hiddenIds: [] },
      expected: ["10@10", "11@11", "12@13"],
    },
    {
      name: "new messages are not appended while the reader is far back (hasNewer)",
      window: { items: held(10, 11), hasOlder: false, hasNewer: true },
      page: { messages: [msg(11, { rev: 20 }), msg(40, { rev: 41 })], hiddenIds: [] },
      expected: ["10@10", "11@20"],
    },
    {
      name: "an empty chat takes everything new",
      window: { items: [], hasOlder: false, hasNewer: false },
      page: { messages: [msg(2), msg(1)], hiddenIds: [] },
      expected: ["1@1", "2@2"],
    },
  ])("$name", ({ window, page, expected }) => {
    expect(view(applyChanges(window, page))).toEqual(expected);
  });

  it("replaying the same page twice ends in the same state", () => {
    const window = { items: held(1, 2), hasOlder: false, hasNewer: false };
    const page = { messages: [msg(2, { rev: 5 }), msg(3, { rev: 6 })], hiddenIds: ["m0001"] };
    const once = applyChanges(window, page);
    const twice = applyChanges({ ...window, items: once }, page);
    expect(view(twice)).toEqual(view(once));
  });
});

describe("applyMessage: unread counts", () => {
  const chat: Chat = {
    id: "chat",
    kind: "group",
    title: "G",
    members: [],
    lastMessage: null,
    unread: 0,
    createdAt: NOW.toISOString(),
    cursor: "c",
  };
  it.each([
    { name: "a message from someone else counts", m: msg(1), unread: 1 },
    {
      name: "a system note does not",
      m: msg(1, { system: { event: "member_added", userIds: [ann.id] } }),
      unread: 0,
    },
    { name: "my own message does not", m: msg(1, { sender: ann }), unread: 0 },
  ])("$name", ({ m, unread }) => {
    expect(applyMessage([chat], m, { myId: ann.id, reading: false })?.[0]?.unread).toBe(unread);
  });
});

describe("updatePreview", () => {
  const chat = (last: Message | null): Chat => ({
    id: "chat",
    kind: "group",
    title: "G",
    members: [],
    lastMessage: last,
    unread: 0,
    createdAt: NOW.toISOString(),
    cursor: "c",
  });
  it.each([
    {
      name: "follows an edit of the last message",
      last: msg(3),
      update: msg(3, { rev: 9, body: "new" }),
      body: "new",
    },
    {
      name: "ignores other messages",
      last: msg(3),
      update: msg(2, { rev: 9, body: "other" }),
      body: "body 3",
    },
    {
      name: "ignores a stale copy",
      last: msg(3, { rev: 9, body: "kept" }),
      update: msg(3, { rev: 4 }),
      body: "kept",
    },
  ])("$name", ({ last, update, body }) => {
    expect(updatePreview([chat(last)], update)[0]?.lastMessage?.body).toBe(body);
  });
});
