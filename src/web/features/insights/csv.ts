import type { Insights } from "../../../protocol/index.js";

export const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
export const HOURS = Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, "0")}:00`);

type Cell = string | number | null;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. Text that a
 * spreadsheet would run as a formula (= + - @ at the start) gets a leading apostrophe.
 */
export function csvField(value: Cell): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Rows to CSV text with CRLF line ends, header first. */
export function toCsv(header: string[], rows: Cell[][]): string {
  return `${[header, ...rows].map((row) => row.map(csvField).join(",")).join("\r\n")}\r\n`;
}

export const csv = {
  byHour: (data: Insights) =>
    toCsv(
      ["hour", "sent", "received"],
      data.byHour.map((h) => [HOURS[h.hour] ?? String(h.hour), h.sent, h.received]),
    ),
  byWeekdayHour: (data: Insights) =>
    toCsv(
      ["weekday", ...HOURS],
      data.byWeekdayHour.map((row, i) => [WEEKDAYS[i] ?? String(i), ...row]),
    ),
  byDay: (data: Insights) =>
    toCsv(
      ["date", "sent", "received"],
      data.byDay.map((d) => [d.date, d.sent, d.received]),
    ),
  topChats: (data: Insights) =>
    toCsv(
      ["chat", "messages"],
      data.topChats.map((c) => [c.title, c.count]),
    ),
  replyTime: (data: Insights) =>
    toCsv(
      ["reply time", "up to seconds", "replies"],
      data.replyTimeSeconds.histogram.map((b) => [b.label, b.upToSeconds, b.count]),
    ),
};

export type ChartKind = keyof typeof csv;
