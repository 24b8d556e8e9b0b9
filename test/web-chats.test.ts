import { describe, expect, it } from "vitest";
import type { Chat, Message } from "../src/protocol/index.js";
import { applyMessage, documentTitle, filterChats, totalUnread, upsertChat } from "../src/web/lib/chats.js";
import { initialTheme } from "../src/web/lib/theme.js";

const me = "u-me";
function chat(id: string, unread = 0, lastSeq = 0): Chat {
  return {
    id,
    kind: "direct",
    title: `Friend ${id}`,
    members: [],
    unread,
    lastMessage: lastSeq ? message(id, lastSeq, "u-other") : null,
    createdAt: "2026-11-24T12:00:00.000Z",
    cursor: "",
  };
}
function message(chatId: string, seq: number, senderId: string): Message {
  return {
    id: `${chatId}-${seq}`,
    chatId,
    seq,
    sender: { id: senderId, username: senderId },
    body: `m${seq}`,
    clientId: `k${seq}`,
    createdAt: "2026-11-24T12:00:00.000Z",
    rev: seq,
    editedAt: null,
    deletedAt: null,
    replyTo: null,
    reactions: [],
    files: [],
    system: null,
  };
}

describe("applyMessage", () => {
  it.each([
    { name: "from someone else, not reading", sender: "u-other", reading: false, unread: 3 },
    { name: "from someone else, reading", sender: "u-other", reading: true, unread: 0 },
    { name: "my own, not reading", sender: me, reading: false, unread: 2 },
  ])("$name → unread $unread, chat moves to the top", ({ sender, reading, unread }) => {
    const chats = [chat("a"), chat("b", 2, 4)];
    const next = applyMessage(chats, message("b", 5, sender), { myId: me, reading });
    expect(next?.map((c) => c.id)).toEqual(["b", "a"]);
    expect(next?.[0]?.unread).toBe(unread);
    expect(next?.[0]?.lastMessage?.seq).toBe(5);
  });

  it("ignores a late duplicate and answers null for an unknown chat", () => {
    const chats = [chat("a", 1, 5)];
    expect(applyMessage(chats, message("a", 5, "u-other"), { myId: me, reading: false })).toBe(chats);
    expect(applyMessage(chats, message("zzz", 1, "u-other"), { myId: me, reading: false })).toBeNull();
  });
});

describe("chat list helpers", () => {
  it("upserts to the top without duplicates", () => {
    expect(upsertChat([chat("a"), chat("b")], chat("b")).map((c) => c.id)).toEqual(["b", "a"]);
  });

  it("filters by title, case-insensitively", () => {
    expect(filterChats([chat("a"), chat("b")], "  friend B ").map((c) => c.id)).toEqual(["b"]);
    expect(filterChats([chat("a")], "")).toHaveLength(1);
  });

  it.each([
    { unread: [0, 0], title: "Glasschat" },
    { unread: [2, 3], title: "(5) Glasschat" },
    { unread: [100, 5], title: "(99+) Glasschat" },
  ])("title for unread $unread is $title", ({ unread, title }) => {
    const chats = unread.map((n, i) => chat(String(i), n));
    expect(documentTitle(totalUnread(chats))).toBe(title);
  });
});

describe("initialTheme", () => {
  it.each([
    { stored: null, prefersDark: true, theme: "dark" },
    { stored: null, prefersDark: false, theme: "light" },
    { stored: "light", prefersDark: true, theme: "light" },
    { stored: "dark", prefersDark: false, theme: "dark" },
    { stored: "purple", prefersDark: false, theme: "light" },
  ])("stored $stored, prefers dark $prefersDark → $theme", ({ stored, prefersDark, theme }) => {
    expect(initialTheme(stored, prefersDark)).toBe(theme);
  });
});
