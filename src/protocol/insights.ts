import { z } from "zod";
import { idSchema, text } from "./schemas.js";

/** Longest range one insights request may cover, in days (from and to included). */
export const INSIGHTS_MAX_DAYS = 1096;
/** Range used when `from` is omitted: this many days ending with `to`. */
export const INSIGHTS_DEFAULT_DAYS = 90;
/** How many chats `topChats` lists at most. */
export const INSIGHTS_TOP_CHATS = 10;

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date `YYYY-MM-DD` that exists (no 2025-02-30). */
export const isoDateSchema = text()
  .regex(DATE_PATTERN, "Use a date like 2025-03-30.")
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, "No such date.");

/** True when the runtime knows `zone` as an IANA time zone (e.g. `Europe/Berlin`, `Asia/Kolkata`). */
export function isTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Whole days from `from` to `to`, both included (1 when they are the same date). */
export function daysInRange(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/**
 * `GET /api/insights` query. `from`/`to` are calendar dates in `tz`, both included: the range is
 * [`from` 00:00, the day after `to` 00:00) local time. Omitted: `to` is today in `tz`, `from` is
 * `INSIGHTS_DEFAULT_DAYS` days ending with `to`.
 */
export const insightsQuerySchema = z
  .object({
    chatId: idSchema.optional(),
    from: isoDateSchema.optional(),
    to: isoDateSchema.optional(),
    tz: text().default("UTC").refine(isTimeZone, "Use an IANA time zone such as Europe/Berlin or UTC."),
  })
  .refine((q) => !(q.from && q.to) || q.from <= q.to, { message: "from must not be after to.", path: ["to"] })
  .refine((q) => !(q.from && q.to) || daysInRange(q.from, q.to) <= INSIGHTS_MAX_DAYS, {
    message: `A range covers at most ${INSIGHTS_MAX_DAYS} days.`,
    path: ["from"],
  });
export type InsightsQuery = z.input<typeof insightsQuerySchema>;

export interface SentReceived {
  sent: number;
  received: number;
}

export interface ReplyTimeBucket {
  /** Human label, e.g. "1–5 min". */
  label: string;
  /** Upper bound in seconds (exclusive); null for the last, open-ended bucket. */
  upToSeconds: number | null;
  count: number;
}

/** `GET /api/insights` answer. Counts cover only messages the caller can still see. */
export interface Insights {
  /** The range actually used (defaults filled in). */
  range: { from: string; to: string; tz: string };
  /** 24 entries, hour 0–23 of local time in `tz`. */
  byHour: Array<{ hour: number } & SentReceived>;
  /** 7 rows (Monday first) × 24 local hours: messages sent and received together. */
  byWeekdayHour: number[][];
  /** One entry per local date of the range, in order, zero days included. */
  byDay: Array<{ date: string } & SentReceived>;
  /** Busiest chats of the range, most messages first (at most `INSIGHTS_TOP_CHATS`). */
  topChats: Array<{ chatId: string; title: string; count: number }>;
  /**
   * Seconds from a message by someone else to the caller's message that directly follows it in
   * the same chat (whole seconds). Quantiles interpolate linearly, like `percentile_cont`.
   */
  replyTimeSeconds: {
    median: number | null;
    p90: number | null;
    count: number;
    histogram: ReplyTimeBucket[];
  };
  totals: {
    messages: number;
    sent: number;
    received: number;
    /** Unicode code points in the bodies. */
    characters: number;
  };
}
