import { describe, expect, it } from "vitest";
import type { Message } from "../src/protocol/index.js";
import {
  canDeleteForEveryone,
  canEdit,
  hasReacted,
  isModerator,
  lastEditable,
  previewText,
  reactionChips,
  systemText,
} from "../src/web/lib/conversation.js";
import { searchEmoji } from "../src/web/lib/emoji.js";
import { unknownEmails } from "../src/web/lib/group-form.js";
import { groupRights } from "../src/web/lib/group-rights.js";
import { ann, ben, member, msg, NOW, nameOf, sent } from "./support/web-fixtures.js";

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
