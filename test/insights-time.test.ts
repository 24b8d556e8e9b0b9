import { describe, expect, it } from "vitest";
import { replyStats, resolveDates } from "../src/server/domain/insights.service.js";
import { localRange, offsetIntervals, todayIn } from "../src/server/domain/insights-time.js";

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

describe("local time ranges", () => {
  it("finds Berlin's 2025 transitions to the second", () => {
    const intervals = offsetIntervals(
      "Europe/Berlin",
      at("2025-01-01T00:00:00Z"),
      at("2026-01-01T00:00:00Z"),
    );
    expect(intervals).toEqual([
      { startUtc: at("2025-01-01T00:00:00Z"), endUtc: at("2025-03-30T01:00:00Z"), offsetMs: HOUR },
      { startUtc: at("2025-03-30T01:00:00Z"), endUtc: at("2025-10-26T01:00:00Z"), offsetMs: 2 * HOUR },
      { startUtc: at("2025-10-26T01:00:00Z"), endUtc: at("2026-01-01T00:00:00Z"), offsetMs: HOUR },
    ]);
  });

  it.each([
    // zone, from, to, first instant, end (exclusive), hours covered
    ["UTC", "2025-01-06", "2025-01-06", "2025-01-06T00:00:00Z", "2025-01-07T00:00:00Z", 24],
    ["Europe/Berlin", "2025-03-30", "2025-03-30", "2025-03-29T23:00:00Z", "2025-03-30T22:00:00Z", 23],
    ["Europe/Berlin", "2025-10-26", "2025-10-26", "2025-10-25T22:00:00Z", "2025-10-26T23:00:00Z", 25],
    ["Asia/Kolkata", "2025-01-06", "2025-01-08", "2025-01-05T18:30:00Z", "2025-01-08T18:30:00Z", 72],
    ["America/New_York", "2025-03-09", "2025-03-09", "2025-03-09T05:00:00Z", "2025-03-10T04:00:00Z", 23],
    ["Australia/Lord_Howe", "2025-04-06", "2025-04-06", "2025-04-05T13:00:00Z", "2025-04-06T13:30:00Z", 24.5],
    // Samoa skipped 30 December 2011 entirely: the range of the 31st starts where the 29th ended.
    ["Pacific/Apia", "2011-12-31", "2011-12-31", "2011-12-30T10:00:00Z", "2011-12-31T10:00:00Z", 24],
  ])("%s %s…%s runs from %s to %s", (zone, from, to, start, end, hours) => {
    const range = localRange(zone, from, to);
    expect(range.startUtc).toBe(at(start));
    expect(range.endUtc).toBe(at(end));
    expect((range.endUtc - range.startUtc) / HOUR).toBe(hours);
    expect(range.intervals[0]?.startUtc).toBe(range.startUtc);
    expect(range.intervals.at(-1)?.endUtc).toBe(range.endUtc);
  });

  it("takes today in the requested zone", () => {
    const now = at("2025-01-06T20:00:00Z");
    expect(todayIn("UTC", now)).toBe("2025-01-06");
    expect(todayIn("Asia/Kolkata", now)).toBe("2025-01-07");
    expect(todayIn("America/Los_Angeles", now)).toBe("2025-01-06");
  });

  it.each([
    [{ tz: "UTC" }, { from: "2024-10-09", to: "2025-01-06" }],
    [
      { tz: "UTC", to: "2025-01-31" },
      { from: "2024-11-03", to: "2025-01-31" },
    ],
    [
      { tz: "UTC", from: "2025-01-01" },
      { from: "2025-01-01", to: "2025-01-06" },
    ],
    [
      { tz: "UTC", from: "2025-02-01" },
      { from: "2025-02-01", to: "2025-02-01" },
    ],
  ])("fills in missing dates: %j → %j", (request, expected) => {
    expect(resolveDates(request, at("2025-01-06T12:00:00Z"))).toEqual(expected);
  });
});

describe("reply time statistics", () => {
  it.each([
    { gaps: [], median: null, p90: null, count: 0 },
    { gaps: [[42, 1]], median: 42, p90: 42, count: 1 },
    {
      gaps: [
        [10, 1],
        [20, 1],
      ],
      median: 15,
      p90: 19,
      count: 2,
    },
    {
      gaps: [
        [31, 1],
        [300, 1],
        [600, 1],
      ],
      median: 300,
      p90: 540,
      count: 3,
    },
    // Counts are grouped: ten replies of 5 s and one of 1000 s.
    {
      gaps: [
        [5, 10],
        [1000, 1],
      ],
      median: 5,
      p90: 5,
      count: 11,
    },
    {
      gaps: [
        [1, 1],
        [2, 1],
        [3, 1],
      ],
      median: 2,
      p90: 2.8,
      count: 3,
    },
    // A clock step can make a gap negative: it counts as an instant reply.
    {
      gaps: [
        [-3, 1],
        [9, 1],
      ],
      median: 4.5,
      p90: 8.1,
      count: 2,
    },
  ])("$gaps → median $median, p90 $p90", ({ gaps, median, p90, count }) => {
    const stats = replyStats(gaps.map(([gap, n]) => ({ gap: gap as number, count: n as number })));
    expect(stats).toMatchObject({ median, p90, count });
    expect(stats.histogram.reduce((sum, b) => sum + b.count, 0)).toBe(count);
  });
});
