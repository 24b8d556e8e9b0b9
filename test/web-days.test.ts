import { describe, expect, it } from "vitest";
import { dayKey, dayLabel, shortStamp, timeLabel, withDaySeparators } from "../src/web/lib/days.js";
import type { ClientMessage } from "../src/web/lib/messages.js";

const local = (y: number, mo: number, d: number, h = 12) => new Date(y, mo - 1, d, h, 0);

function message(id: string, at: Date, senderId = "bob"): ClientMessage {
  return {
    id,
    chatId: "c",
    seq: Number(id.slice(1)),
    sender: { id: senderId, username: senderId },
    body: id,
    clientId: id,
    createdAt: at.toISOString(),
    rev: Number(id.slice(1)),
    editedAt: null,
    deletedAt: null,
    replyTo: null,
    reactions: [],
    files: [],
    system: null,
    status: "sent",
  };
}

describe("day separators", () => {
  const now = local(2026, 11, 24, 15);

  it.each([
    { date: local(2026, 11, 24, 1), label: "Today" },
    { date: local(2026, 11, 23, 23), label: "Yesterday" },
  ])("labels $label", ({ date, label }) => {
    expect(dayLabel(date, now, "en-US")).toBe(label);
  });

  it("labels older days with the date, and the year only when it differs", () => {
    expect(dayLabel(local(2026, 11, 2), now, "en-US")).toBe("Monday, November 2");
    expect(dayLabel(local(2025, 11, 2), now, "en-US")).toBe("Sunday, November 2, 2025");
  });

  it("puts a separator before the first message of each local day and groups by sender", () => {
    const rows = withDaySeparators(
      [
        message("m1", local(2026, 11, 23, 9)),
        message("m2", local(2026, 11, 23, 10)),
        message("m3", local(2026, 11, 24, 9), "alice"),
        message("m4", local(2026, 11, 24, 10)),
      ],
      now,
      "en-US",
    );
    expect(
      rows.map((r) => (r.kind === "day" ? r.label : `${r.message.id}${r.firstOfGroup ? "*" : ""}`)),
    ).toEqual(["Yesterday", "m1*", "m2", "Today", "m3*", "m4*"]);
  });

  it("keys days by the viewer's calendar date", () => {
    expect(dayKey(local(2026, 1, 5))).toBe("2026-01-05");
  });
});

describe("times of day", () => {
  const at = (time: string) => {
    const [h, m] = time.split(":").map(Number);
    return new Date(2026, 11, 2, h, m).toISOString();
  };
  // ICU versions differ in the space before AM/PM (U+0020 or U+202F).
  const spaced = (text: string) => text.replace(/\s/g, " ");

  it.each([
    { locale: "de-DE", time: "00:10", label: "00:10" },
    { locale: "de-DE", time: "09:05", label: "09:05" },
    { locale: "de-DE", time: "22:04", label: "22:04" },
    { locale: "en-US", time: "00:10", label: "12:10 AM" },
    { locale: "en-US", time: "22:04", label: "10:04 PM" },
  ])("reads $time as $label in $locale", ({ locale, time, label }) => {
    expect(spaced(timeLabel(at(time), locale))).toBe(label);
  });

  it("shows the chat list's stamp of a message from just after midnight as a time", () => {
    expect(shortStamp(at("00:01"), new Date(2026, 11, 2, 0, 30), "de-DE")).toBe("00:01");
  });
});
