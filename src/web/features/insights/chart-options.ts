import type { EChartsCoreOption } from "echarts/core";
import type { Insights } from "../../../protocol/index.js";
import { currentLocale, type MessageKey, t } from "../../i18n/index.js";
import type { Theme } from "../../lib/theme.js";
import type { ChartKind } from "./csv.js";
import { HOURS } from "./csv.js";

export interface Palette {
  text: string;
  muted: string;
  grid: string;
  sent: string;
  received: string;
  heat: [string, string];
  /** Solid background for exported PNGs (the page itself is translucent glass). */
  exportBackground: string;
}

export const PALETTES: Record<Theme, Palette> = {
  dark: {
    text: "#ffffff",
    muted: "rgba(255, 255, 255, 0.75)",
    grid: "rgba(255, 255, 255, 0.15)",
    sent: "#5eead4",
    received: "#fcd34d",
    heat: ["rgba(255, 255, 255, 0.06)", "#5eead4"],
    exportBackground: "#3b2f6b",
  },
  light: {
    text: "#1f2937",
    muted: "#4b5563",
    grid: "rgba(31, 41, 55, 0.12)",
    sent: "#2563eb",
    received: "#d97706",
    heat: ["#eef2ff", "#1d4ed8"],
    exportBackground: "#ffffff",
  },
};

/** Monday to Sunday, short, in the current language (2024-01-01 was a Monday). */
const shortWeekdays = () => {
  const format = new Intl.DateTimeFormat(currentLocale(), { weekday: "short", timeZone: "UTC" });
  return Array.from({ length: 7 }, (_, i) => format.format(Date.UTC(2024, 0, 1 + i)));
};

/** The server's reply-time buckets (English labels) in the reader's language. */
const BUCKET_LABELS: Record<string, MessageKey> = {
  "< 1 min": "insights.bucket.underMinute",
  "1–5 min": "insights.bucket.oneToFiveMin",
  "5–15 min": "insights.bucket.fiveToFifteenMin",
  "15–60 min": "insights.bucket.quarterToHour",
  "1–6 h": "insights.bucket.oneToSixHours",
  "6–24 h": "insights.bucket.sixToDay",
  "≥ 1 day": "insights.bucket.dayOrMore",
};
const bucketLabel = (label: string) => {
  const key = BUCKET_LABELS[label];
  return key ? t(key) : label;
};

function base(p: Palette): EChartsCoreOption {
  return {
    backgroundColor: "transparent",
    textStyle: { color: p.text, fontFamily: "Poppins, system-ui, sans-serif" },
    aria: { enabled: true },
    animationDuration: 300,
    tooltip: { trigger: "axis", confine: true },
    legend: { top: 0, textStyle: { color: p.text } },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
  };
}

const axis = (p: Palette) => ({
  axisLine: { lineStyle: { color: p.grid } },
  axisLabel: { color: p.muted },
  splitLine: { lineStyle: { color: p.grid } },
});

/** ECharts options for each chart of the page, from the API answer and the theme's colours. */
export function chartOption(kind: ChartKind, data: Insights, p: Palette): EChartsCoreOption {
  switch (kind) {
    case "byHour":
      return {
        ...base(p),
        xAxis: { type: "category", data: HOURS.map((h) => h.slice(0, 2)), ...axis(p) },
        yAxis: { type: "value", minInterval: 1, ...axis(p) },
        series: [
          {
            name: t("insights.sent"),
            type: "bar",
            data: data.byHour.map((h) => h.sent),
            itemStyle: { color: p.sent },
          },
          {
            name: t("insights.received"),
            type: "bar",
            data: data.byHour.map((h) => h.received),
            itemStyle: { color: p.received },
          },
        ],
      };
    case "byWeekdayHour": {
      const cells = data.byWeekdayHour.flatMap((row, day) => row.map((count, hour) => [hour, day, count]));
      const max = Math.max(1, ...cells.map((c) => c[2] ?? 0));
      return {
        ...base(p),
        legend: undefined,
        tooltip: { position: "top", confine: true },
        grid: { left: 8, right: 16, top: 8, bottom: 64, containLabel: true },
        xAxis: {
          type: "category",
          data: HOURS.map((h) => h.slice(0, 2)),
          ...axis(p),
          splitArea: { show: false },
        },
        yAxis: { type: "category", data: shortWeekdays(), inverse: true, ...axis(p) },
        visualMap: {
          min: 0,
          max,
          calculable: true,
          orient: "horizontal",
          left: "center",
          bottom: 0,
          itemHeight: 120,
          textStyle: { color: p.muted },
          inRange: { color: p.heat },
        },
        series: [
          {
            name: t("insights.messages"),
            type: "heatmap",
            data: cells,
            emphasis: { itemStyle: { borderWidth: 1 } },
          },
        ],
      };
    }
    case "byDay":
      // Two lines drawn from zero, not stacked: a stacked received line would show sent + received.
      return {
        ...base(p),
        xAxis: { type: "category", data: data.byDay.map((d) => shortDate(d.date)), ...axis(p) },
        yAxis: { type: "value", minInterval: 1, ...axis(p) },
        dataZoom: data.byDay.length > 62 ? [{ type: "inside" }] : [],
        series: [
          {
            name: t("insights.sent"),
            type: "line",
            areaStyle: { opacity: 0.35 },
            showSymbol: false,
            data: data.byDay.map((d) => d.sent),
            itemStyle: { color: p.sent },
          },
          {
            name: t("insights.received"),
            type: "line",
            areaStyle: { opacity: 0.35 },
            showSymbol: false,
            data: data.byDay.map((d) => d.received),
            itemStyle: { color: p.received },
          },
        ],
      };
    case "topChats": {
      const chats = [...data.topChats].reverse(); // the busiest at the top of a horizontal bar chart
      return {
        ...base(p),
        legend: undefined,
        xAxis: { type: "value", minInterval: 1, ...axis(p) },
        yAxis: { type: "category", data: chats.map((c) => c.title), ...axis(p) },
        series: [
          {
            name: t("insights.messages"),
            type: "bar",
            data: chats.map((c) => c.count),
            itemStyle: { color: p.sent },
          },
        ],
      };
    }
    case "replyTime":
      return {
        ...base(p),
        legend: undefined,
        xAxis: {
          type: "category",
          data: data.replyTimeSeconds.histogram.map((b) => bucketLabel(b.label)),
          ...axis(p),
          // Every bucket named (ECharts would skip every other one on a phone), tilted so they fit.
          axisLabel: { color: p.muted, interval: 0, rotate: 30 },
        },
        yAxis: { type: "value", minInterval: 1, ...axis(p) },
        series: [
          {
            name: t("insights.replies"),
            type: "bar",
            data: data.replyTimeSeconds.histogram.map((b) => b.count),
            itemStyle: { color: p.received },
          },
        ],
      };
  }
}

/** "24 Nov" / "24. Nov." for a calendar date "2026-11-24". */
const shortDate = (iso: string) =>
  new Intl.DateTimeFormat(currentLocale(), { day: "numeric", month: "short", timeZone: "UTC" }).format(
    new Date(`${iso}T00:00:00Z`),
  );

const tenths = (value: number) => Math.round(value * 10) / 10;

/** "42 s", "5.5 min", "3.2 h", "1.5 days" (in the current language: "5,5 Min."). */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 60) return t("insights.seconds", { count: Math.round(seconds) });
  if (seconds < 3600) return t("insights.minutes", { count: tenths(seconds / 60) });
  if (seconds < 86_400) return t("insights.hours", { count: tenths(seconds / 3600) });
  return t("insights.days", { count: tenths(seconds / 86_400) });
}
