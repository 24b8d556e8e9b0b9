import { describe, expect, it } from "vitest";
import type { Chat, ChatMember } from "../src/protocol/index.js";
import { receiptOf, relativeTime, setTyping, typingMembers } from "../src/web/lib/presence.js";

const me = "u-me";
const member = (id: string, readSeq: number | null, online: boolean | null = null): ChatMember => ({
  id,
  username: id,
  role: "member",
  readSeq,
  online,
  lastSeenAt: null,
});
const chat = (kind: Chat["kind"], members: ChatMember[]): Chat => ({
  id: "c1",
  kind,
  title: "t",
  members: [member(me, 9), ...members],
  lastMessage: null,
  unread: 0,
  createdAt: "2026-11-24T12:00:00.000Z",
  cursor: "",
});

describe("read receipts of my own messages", () => {
  it.each([
    ["direct, read past it", chat("direct", [member("ann", 5)]), 5, true, "read"],
    ["direct, not yet read", chat("direct", [member("ann", 4)]), 5, true, "stored"],
    ["direct, not shared", chat("direct", [member("ann", null)]), 5, true, "none"],
    ["direct, my switch off", chat("direct", [member("ann", 9)]), 5, false, "none"],
    ["group, nobody yet", chat("group", [member("ann", 1), member("ben", null)]), 5, true, "none"],
  ] as const)("%s → %s", (_name, c, seq, iShare, kind) => {
    expect(receiptOf(c, { seq }, me, iShare).kind).toBe(kind);
  });

  it("lists who in a group has seen a message", () => {
    const c = chat("group", [member("ann", 6), member("ben", 2), member("cy", 5)]);
    const receipt = receiptOf(c, { seq: 5 }, me, true);
    expect(receipt).toEqual({ kind: "seen", by: [member("ann", 6), member("cy", 5)] });
  });
});

describe("typing state", () => {
  it("shows typists until their expiry, never me, in member order", () => {
    let state = setTyping({}, "c1", "ben", 2000);
    state = setTyping(state, "c1", "ann", 2000);
    state = setTyping(state, "c1", me, 2000);
    const c = chat("group", [member("ann", null), member("ben", null)]);
    expect(typingMembers(c, state, me, 1000).map((m) => m.id)).toEqual(["ann", "ben"]);
    expect(typingMembers(c, state, me, 2500)).toEqual([]);
    expect(setTyping(setTyping({}, "c1", "ann", 1), "c1", "ann", null)).toEqual({});
  });
});

describe("last seen, relative and in the viewer's language", () => {
  const now = Date.parse("2026-12-01T12:00:00.000Z");
  it.each([
    ["en", "2026-12-01T11:55:00.000Z", "5 minutes ago"],
    ["en", "2026-12-01T09:00:00.000Z", "3 hours ago"],
    ["en", "2026-11-30T12:00:00.000Z", "yesterday"],
    ["de", "2026-12-01T11:55:00.000Z", "vor 5 Minuten"],
    ["en", "2026-12-01T11:59:50.000Z", "now"],
  ])("%s %s → %s", (locale, iso, text) => {
    expect(relativeTime(iso, now, locale)).toBe(text);
  });
});
