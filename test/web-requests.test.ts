import { describe, expect, it } from "vitest";
import type { Chat, Message } from "../src/protocol/index.js";
import { applyMessage, splitRequests, totalUnread, withoutRequest } from "../src/web/lib/chats.js";

const me = "u-me";
function chat(id: string, unread: number, request?: true): Chat {
  return {
    id,
    kind: "direct",
    title: id,
    members: [],
    unread,
    lastMessage: null,
    createdAt: "2026-11-24T12:00:00.000Z",
    cursor: "",
    ...(request ? { request } : {}),
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

describe("message requests in the web client's list", () => {
  it("leaves requests out of the unread total", () => {
    expect(totalUnread([chat("a", 2), chat("r", 5, true), chat("b", 1)])).toBe(3);
    expect(totalUnread([chat("r", 5, true)])).toBe(0);
  });

  it("splits requests from the other chats, keeping the order of each", () => {
    const { requests, others } = splitRequests([
      chat("a", 0),
      chat("r1", 0, true),
      chat("b", 0),
      chat("r2", 0, true),
    ]);
    expect(requests.map((c) => c.id)).toEqual(["r1", "r2"]);
    expect(others.map((c) => c.id)).toEqual(["a", "b"]);
  });

  it("ends a request when I answer in it, and keeps it when the stranger writes again", () => {
    const list = [chat("r", 1, true)];
    const theirs = applyMessage(list, message("r", 2, "u-stranger"), { myId: me, reading: false });
    expect(theirs?.[0]?.request).toBe(true);
    expect(theirs?.[0]?.unread).toBe(2);
    const mine = applyMessage(list, message("r", 2, me), { myId: me, reading: true });
    expect(mine?.[0]?.request).toBeUndefined();
    expect(withoutRequest(chat("r", 0, true))).toEqual(chat("r", 0));
  });
});
