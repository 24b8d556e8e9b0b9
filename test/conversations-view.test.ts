import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, visibilityFloor } from "../src/server/domain/changes-cursor.js";
import { excerpt, groupReactions } from "../src/server/domain/chat-view.js";

describe("changes-feed cursor", () => {
  it.each([
    { rev: 0, pos: 0, floor: 0 },
    { rev: 1_000_000, pos: 3, floor: 999 },
    { rev: Number.MAX_SAFE_INTEGER, pos: 0, floor: 7 },
  ])("round-trips %o", (position) => {
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it.each([
    "",
    "f1.",
    "f1.1.2",
    "f1.1.2.3.4",
    "f2.1.2.3",
    "f1.-1.0.0",
    "f1.A.0.0",
    "f1.1..0",
    "f1.zzzzzzzzzzzz.0.0",
    "1.2.3",
  ])("refuses %j with invalid_input", (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(expect.objectContaining({ code: "invalid_input" }));
  });

  it.each([
    [{ clearedSeq: 0, visibleFromSeq: 0 }, 0],
    [{ clearedSeq: 5, visibleFromSeq: 0 }, 5],
    [{ clearedSeq: 0, visibleFromSeq: 10 }, 9],
    [{ clearedSeq: 12, visibleFromSeq: 10 }, 12],
  ])("puts the visibility floor of %o at %i", (member, floor) => {
    expect(visibilityFloor(member)).toBe(floor);
  });
});

describe("message view", () => {
  it.each([
    ["short", "short"],
    ["x".repeat(200), "x".repeat(200)],
    ["x".repeat(201), "x".repeat(200)],
    // Code points, not UTF-16 units: an emoji at the cut stays whole.
    [`${"x".repeat(199)}😀😀`, `${"x".repeat(199)}😀`],
  ])("excerpts %j", (body, expected) => {
    expect(excerpt(body)).toBe(expected);
  });

  it("groups reactions per message, emoji in row order, people in row order", () => {
    const row = (seq: number, emoji: string, user_id: string) => ({ chat_id: "c", seq, emoji, user_id });
    const grouped = groupReactions([
      row(1, "👍", "a"),
      row(1, "❤️", "b"),
      row(1, "👍", "b"),
      row(2, "🎉", "a"),
    ]);
    expect(grouped.get("c\u00001")).toEqual([
      { emoji: "👍", userIds: ["a", "b"] },
      { emoji: "❤️", userIds: ["b"] },
    ]);
    expect(grouped.get("c\u00002")).toEqual([{ emoji: "🎉", userIds: ["a"] }]);
  });
});
