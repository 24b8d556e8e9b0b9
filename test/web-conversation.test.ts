import { describe, expect, it } from "vitest";
import type { Chat, ChatMember, Message } from "../src/protocol/index.js";
import { applyMessage } from "../src/web/lib/chats.js";
import {
  applyChanges,
  applyUpdate,
  canDeleteForEveryone,
  canEdit,
  dropIds,
  dropUpTo,
  hasReacted,
  isModerator,
  lastEditable,
  previewText,
  reactionChips,
  systemText,
  updatePreview,
} from "../src/web/lib/conversation.js";
import { searchEmoji } from "../src/web/lib/emoji.js";
import { unknownEmails } from "../src/web/lib/group-form.js";
import { groupRights } from "../src/web/lib/group-rights.js";
import { type ClientMessage, mergeMessages, pendingMessage } from "../src/web/lib/messages.js";

const ann = { id: "u-ann", username: "ann" };
const ben = { id: "u-ben", username: "ben" };
const NOW = new Date(Date.UTC(2026, 10, 24, 12, 0));
const names: Record<string, string> = { "u-ann": "ann", "u-ben": "ben", "u-cat": "cat" };
const nameOf = (id: string) => names[id] ?? "someone";

function msg(seq: number, patch: Partial<Message> = {}): Message {
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
const sent = (m: Message): ClientMessage => ({ ...m, status: "sent" });
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

const member = (user: { id: string; username: string }, role: ChatMember["role"]): ChatMember => ({
  ...user,
  role,
  readSeq: null,
  online: null,
  lastSeenAt: null,
});

describe("who may edit and delete", () => {
  const minutesAgo = (n: number) => new Date(NOW.getTime() - n * 60_000).toISOString();
  it.each([
    { name: "my fresh message", m: msg(1, { sender: ann }), edit: true, everyone: true },
    { name: "someone else's message", m: msg(1), edit: false, everyone: false },
    {
      name: "my message past the delete window",
      m: msg(1, { sender: ann, createdAt: minutesAgo(61) }),
      edit: true,
      everyone: false,
    },
    {
      name: "my message past the edit window",
      m: msg(1, { sender: ann, createdAt: minutesAgo(60 * 25) }),
      edit: false,
      everyone: false,
    },
    {
      name: "a tombstone",
      m: msg(1, { sender: ann, deletedAt: NOW.toISOString() }),
      edit: false,
      everyone: false,
    },
    {
      name: "a system message",
      m: msg(1, { sender: ann, system: { event: "title_changed", userIds: [], title: "x" } }),
      edit: false,
      everyone: false,
    },
  ])("$name", ({ m, edit, everyone }) => {
    expect(canEdit(sent(m), ann.id, NOW)).toBe(edit);
    expect(canDeleteForEveryone(sent(m), ann.id, false, NOW)).toBe(everyone);
  });

  it("a group's owner or admin deletes anyone's message at any time", () => {
    const old = sent(msg(1, { createdAt: "2020-01-01T00:00:00.000Z" }));
    expect(canDeleteForEveryone(old, ann.id, true, NOW)).toBe(true);
  });

  it.each([
    { kind: "group" as const, role: "owner" as const, expected: true },
    { kind: "group" as const, role: "admin" as const, expected: true },
    { kind: "group" as const, role: "member" as const, expected: false },
    { kind: "direct" as const, role: "member" as const, expected: false },
  ])("moderator in a $kind as $role: $expected", ({ kind, role, expected }) => {
    expect(isModerator({ kind, members: [member(ann, role)] }, ann.id)).toBe(expected);
  });

  it("Up-arrow picks my newest editable message", () => {
    const items = [sent(msg(1, { sender: ann })), sent(msg(2, { sender: ann })), sent(msg(3))];
    expect(lastEditable(items, ann.id, NOW)?.seq).toBe(2);
    expect(lastEditable([sent(msg(3))], ann.id, NOW)).toBeNull();
  });
});

describe("groupRights: controls a role may not use are not shown", () => {
  const owner = member(ann, "owner");
  const admin = member(ben, "admin");
  const plain = member({ id: "u-cat", username: "cat" }, "member");
  const other = member({ id: "u-dan", username: "dan" }, "admin");
  it.each([
    { me: owner, rename: true, add: true, makeAdmin: [plain], remove: [admin, plain] },
    { me: admin, rename: true, add: true, makeAdmin: [], remove: [plain] },
    { me: plain, rename: false, add: false, makeAdmin: [], remove: [] },
  ])("as $me.role", ({ me, rename, add, makeAdmin, remove }) => {
    const rights = groupRights(me.role, me.id);
    const everyone = [owner, admin, plain, other].filter((m) => m.id !== me.id);
    expect(rights.rename).toBe(rename);
    expect(rights.addMember).toBe(add);
    expect(everyone.filter(rights.makeAdmin)).toEqual(makeAdmin);
    expect(everyone.filter(rights.remove)).toEqual(me.role === "owner" ? [admin, plain, other] : remove);
    expect(rights.remove(me)).toBe(false); // leaving is its own button
  });
});

describe("systemText", () => {
  const sys = (event: NonNullable<Message["system"]>["event"], userIds: string[], title?: string) =>
    msg(1, { sender: ann, body: "", system: { event, userIds, ...(title ? { title } : {}) } });
  it.each([
    { m: sys("group_created", ["u-ben", "u-cat"], "Club"), text: "ann created the group “Club”" },
    { m: sys("member_added", ["u-ben"]), text: "ann added ben" },
    { m: sys("member_added", ["u-ben", "u-cat"]), text: "ann added ben and cat" },
    { m: sys("member_removed", ["u-zed"]), text: "ann removed someone" },
    { m: sys("member_left", ["u-ann"]), text: "ann left the group" },
    { m: sys("title_changed", [], "Book club"), text: "ann renamed the group to “Book club”" },
    { m: sys("role_changed", ["u-ben"]), text: "ann changed the role of ben" },
  ])("$text", ({ m, text }) => {
    expect(systemText(m, nameOf)).toBe(text);
  });

  it.each([
    { m: sys("member_added", ["u-ben"]), me: "u-ben", text: "ann added you" },
    { m: sys("member_removed", ["u-ben"]), me: "u-ann", text: "You removed ben" },
  ])("seen by me: $text", ({ m, me, text }) => {
    expect(systemText(m, nameOf, me)).toBe(text);
  });

  it.each([
    { m: msg(1, { deletedAt: NOW.toISOString(), body: "" }), text: "This message was deleted" },
    { m: msg(1, { sender: ann, body: "hi  there" }), text: "You: hi there" },
    { m: sys("member_added", ["u-ben"]), text: "You added ben" },
  ])("chat list preview: $text", ({ m, text }) => {
    expect(previewText(m, ann.id, nameOf)).toBe(text);
  });
});

describe("reactions", () => {
  const m = msg(1, {
    reactions: [
      { emoji: "👍", userIds: ["u-ben", "u-ann"] },
      { emoji: "🎉", userIds: ["u-cat"] },
    ],
  });
  it("chips count, mark mine and list who reacted, in first-use order", () => {
    expect(reactionChips(m, ann.id, nameOf)).toEqual([
      { emoji: "👍", count: 2, mine: true, who: ["ben", "ann"] },
      { emoji: "🎉", count: 1, mine: false, who: ["cat"] },
    ]);
  });
  it.each([
    { emoji: "👍", expected: true },
    { emoji: "🎉", expected: false },
    { emoji: "❤️", expected: false },
  ])("hasReacted $emoji: $expected (decides add or take back)", ({ emoji, expected }) => {
    expect(hasReacted(m, emoji, ann.id)).toBe(expected);
  });
});

describe("searchEmoji", () => {
  it.each([
    { query: "", includes: "👍" },
    { query: "thumb", includes: "👍" },
    { query: "party", includes: "🎉" },
    { query: "HEART red", includes: "❤️" },
    { query: "🔥", includes: "🔥" },
  ])("“$query” finds $includes", ({ query, includes }) => {
    expect(searchEmoji(query).map((e) => e.emoji)).toContain(includes);
  });
  it("finds nothing for a word no emoji has", () => {
    expect(searchEmoji("zzzqqq")).toEqual([]);
  });
});

describe("unknownEmails (404 user_not_found fields)", () => {
  const emails = ["a@x.io", "b@x.io", "c@x.io"];
  it.each([
    {
      name: "keyed by email",
      fields: { "b@x.io": "No account" } as Record<string, string>,
      expected: ["b@x.io"],
    },
    {
      name: "keyed by position",
      fields: { "emails.2": "No account" } as Record<string, string>,
      expected: ["c@x.io"],
    },
    {
      name: "named in the message",
      fields: { emails: "No account for a@x.io, c@x.io" },
      expected: ["a@x.io", "c@x.io"],
    },
    { name: "no fields", fields: {} as Record<string, string>, expected: [] },
  ])("$name", ({ fields, expected }) => {
    expect(unknownEmails(emails, fields)).toEqual(expected);
  });
});
