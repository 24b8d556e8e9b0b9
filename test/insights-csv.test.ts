import { describe, expect, it } from "vitest";
import type { Insights } from "../src/protocol/index.js";
import { csv, csvField, toCsv } from "../src/web/features/insights/csv.js";

const data: Insights = {
  range: { from: "2025-01-06", to: "2025-01-07", tz: "UTC" },
  byHour: Array.from({ length: 24 }, (_, hour) => ({
    hour,
    sent: hour === 9 ? 2 : 0,
    received: hour === 23 ? 1 : 0,
  })),
  byWeekdayHour: Array.from({ length: 7 }, (_, day) =>
    Array.from({ length: 24 }, (_, hour) => (day === 0 && hour === 9 ? 2 : 0)),
  ),
  byDay: [
    { date: "2025-01-06", sent: 2, received: 0 },
    { date: "2025-01-07", sent: 0, received: 1 },
  ],
  topChats: [
    { chatId: "c1", title: "ann, ben", count: 2 },
    { chatId: "c2", title: '-the "crew"', count: 1 },
  ],
  replyTimeSeconds: {
    median: 300,
    p90: 300,
    count: 1,
    histogram: [
      { label: "< 1 min", upToSeconds: 60, count: 0 },
      { label: "≥ 1 day", upToSeconds: null, count: 1 },
    ],
  },
  totals: { messages: 3, sent: 2, received: 1, characters: 12 },
};

describe("insights CSV", () => {
  it.each([
    ["plain", "plain"],
    [42, "42"],
    [null, ""],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["=1+1", "'=1+1"],
    ["@cmd", "'@cmd"],
  ])("writes the field %j as %j", (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it("ends every line with CRLF, header first", () => {
    expect(toCsv(["a", "b"], [[1, "x"]])).toBe("a,b\r\n1,x\r\n");
  });

  it("exports messages by hour with all 24 hours", () => {
    const lines = csv.byHour(data).trimEnd().split("\r\n");
    expect(lines).toHaveLength(25);
    expect(lines.slice(0, 2)).toEqual(["hour,sent,received", "00:00,0,0"]);
    expect(lines[10]).toBe("09:00,2,0");
    expect(lines[24]).toBe("23:00,0,1");
  });

  it("exports the weekday × hour grid with weekdays as rows, Monday first", () => {
    const lines = csv.byWeekdayHour(data).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      `weekday,${Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, "0")}:00`).join(",")}`,
    );
    expect(lines[1]).toBe(`Monday,${[0, 0, 0, 0, 0, 0, 0, 0, 0, 2, ...Array(14).fill(0)].join(",")}`);
    expect(lines[7]?.startsWith("Sunday,")).toBe(true);
  });

  it("exports days, top chats (quoted titles) and the reply time histogram", () => {
    expect(csv.byDay(data)).toBe("date,sent,received\r\n2025-01-06,2,0\r\n2025-01-07,0,1\r\n");
    expect(csv.topChats(data)).toBe('chat,messages\r\n"ann, ben",2\r\n"\'-the ""crew""",1\r\n');
    expect(csv.replyTime(data)).toBe("reply time,up to seconds,replies\r\n< 1 min,60,0\r\n≥ 1 day,,1\r\n");
  });
});
