import { describe, expect, it } from "vitest";
import type { Insights } from "../src/protocol/index.js";
import { chartOption, PALETTES } from "../src/web/features/insights/chart-options.js";

const BUCKETS = ["< 1 min", "1–5 min", "5–15 min", "15–60 min", "1–6 h", "6–24 h", "≥ 1 day"];

const data: Insights = {
  range: { from: "2025-01-06", to: "2025-01-08", tz: "UTC" },
  byHour: Array.from({ length: 24 }, (_, hour) => ({ hour, sent: 0, received: 0 })),
  byWeekdayHour: Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0)),
  byDay: [
    { date: "2025-01-06", sent: 5, received: 2 },
    { date: "2025-01-07", sent: 1, received: 4 },
    { date: "2025-01-08", sent: 0, received: 3 },
  ],
  topChats: [],
  replyTimeSeconds: {
    median: 120,
    p90: 4000,
    count: 7,
    histogram: BUCKETS.map((label, i) => ({ label, upToSeconds: null, count: i + 1 })),
  },
  totals: { messages: 15, sent: 6, received: 9, characters: 80 },
};

interface Series {
  name: string;
  data: number[];
  stack?: string;
}

describe("insights chart options", () => {
  it.each(["dark", "light"] as const)("labels every reply-time bar (%s theme)", (theme) => {
    const option = chartOption("replyTime", data, PALETTES[theme]) as {
      xAxis: { data: string[]; axisLabel: { interval: number | string; color: string } };
    };
    expect(option.xAxis.data).toEqual(BUCKETS);
    expect(option.xAxis.axisLabel.interval).toBe(0);
    expect(option.xAxis.axisLabel.color).toBe(PALETTES[theme].muted);
  });

  it("draws messages per day as separate lines: Received shows the received count alone", () => {
    const option = chartOption("byDay", data, PALETTES.dark) as { series: Series[] };
    expect(option.series.map((s) => s.name)).toEqual(["Sent", "Received"]);
    for (const series of option.series) expect(series.stack).toBeUndefined();
    expect(option.series[1]?.data).toEqual([2, 4, 3]);
  });
});
