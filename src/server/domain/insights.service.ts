import {
  INSIGHTS_DEFAULT_DAYS,
  INSIGHTS_MAX_DAYS,
  INSIGHTS_TOP_CHATS,
  type Insights,
  type ReplyTimeBucket,
  type UserRef,
} from "../../protocol/index.js";
import type { HourBucketRow, InsightsRepository, ReplyGapRow } from "../storage/insights.repository.js";
import { chatTitle } from "./chat-view.js";
import { AppError } from "./errors.js";
import { addDays, dateToDayMs, dayMsToDate, localRange, splitHourBucket, todayIn } from "./insights-time.js";

const DAY_MS = 86_400_000;

export interface InsightsRequest {
  chatId?: string;
  from?: string;
  to?: string;
  tz: string;
}

export interface InsightsDeps {
  insights: InsightsRepository;
  /** The one membership rule (chats.service): a chat the caller is not in, or left, is not_found. */
  requireMember: (chatId: string, userId: string) => Promise<unknown>;
  now: () => number;
}

export type InsightsService = ReturnType<typeof createInsightsService>;

export function createInsightsService({ insights, requireMember, now }: InsightsDeps) {
  return {
    /** Statistics of the caller's visible history; a chat they are not in is `not_found`. */
    async forUser(userId: string, request: InsightsRequest): Promise<Insights> {
      const { from, to } = resolveDates(request, now());
      if (request.chatId !== undefined) await requireMember(request.chatId, userId);

      const { startUtc, endUtc, intervals } = localRange(request.tz, from, to);
      const scope = { userId, chatId: request.chatId, startUtc, endUtc, offsets: intervals };
      const [buckets, top, gaps] = await Promise.all([
        insights.hourBuckets(scope),
        insights.topChats(scope, INSIGHTS_TOP_CHATS),
        insights.replyGaps(scope),
      ]);
      const members = await insights.members(top.map((t) => t.chat_id));
      const titles = chatTitles(members, userId);

      return {
        range: { from, to, tz: request.tz },
        ...foldHourBuckets(buckets, from, to),
        topChats: top.map((t) => ({ chatId: t.chat_id, title: titles.get(t.chat_id) ?? "", count: t.count })),
        replyTimeSeconds: replyStats(gaps),
      };
    },
  };
}

/** Fills in the defaults: `to` = today in tz, `from` = the default span ending with `to`. */
export function resolveDates(request: InsightsRequest, now: number): { from: string; to: string } {
  const to =
    request.to ?? (request.from ? latest(request.from, todayIn(request.tz, now)) : todayIn(request.tz, now));
  const from = request.from ?? addDays(to, -(INSIGHTS_DEFAULT_DAYS - 1));
  if (from > to)
    throw new AppError("invalid_input", "from must not be after to.", { to: "from must not be after to." });
  if ((dateToDayMs(to) - dateToDayMs(from)) / DAY_MS + 1 > INSIGHTS_MAX_DAYS) {
    const message = `A range covers at most ${INSIGHTS_MAX_DAYS} days.`;
    throw new AppError("invalid_input", message, { from: message });
  }
  return { from, to };
}

const latest = (a: string, b: string) => (a > b ? a : b);

function chatTitles(
  rows: Array<{ chat_id: string; kind: "direct" | "group"; title: string | null } & UserRef>,
  viewerId: string,
) {
  const byChat = new Map<string, { kind: "direct" | "group"; title: string | null; members: UserRef[] }>();
  for (const row of rows) {
    const entry = byChat.get(row.chat_id) ?? { kind: row.kind, title: row.title, members: [] };
    entry.members.push({ id: row.id, username: row.username });
    byChat.set(row.chat_id, entry);
  }
  const titles = new Map<string, string>();
  for (const [chatId, { kind, title, members }] of byChat) {
    titles.set(chatId, chatTitle(kind, members, viewerId, title));
  }
  return titles;
}

/** Folds per-local-hour rows into the hour, weekday × hour and day series and the totals. */
export function foldHourBuckets(
  rows: HourBucketRow[],
  from: string,
  to: string,
): Pick<Insights, "byHour" | "byWeekdayHour" | "byDay" | "totals"> {
  const byHour = Array.from({ length: 24 }, (_, hour) => ({ hour, sent: 0, received: 0 }));
  const byWeekdayHour = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  const fromDay = dateToDayMs(from);
  const dayCount = (dateToDayMs(to) - fromDay) / DAY_MS + 1;
  const byDay = Array.from({ length: dayCount }, (_, i) => ({
    date: dayMsToDate(fromDay + i * DAY_MS),
    sent: 0,
    received: 0,
  }));
  const totals = { messages: 0, sent: 0, received: 0, characters: 0 };

  for (const row of rows) {
    const { dayMs, hour, weekday } = splitHourBucket(row.bucket);
    const key = row.sent === 1 ? "sent" : "received";
    const hourEntry = byHour[hour];
    if (hourEntry) hourEntry[key] += row.messages;
    const weekdayRow = byWeekdayHour[weekday];
    if (weekdayRow) weekdayRow[hour] = (weekdayRow[hour] ?? 0) + row.messages;
    const dayEntry = byDay[(dayMs - fromDay) / DAY_MS];
    if (dayEntry) dayEntry[key] += row.messages;
    totals.messages += row.messages;
    totals[key] += row.messages;
    totals.characters += row.characters;
  }
  return { byHour, byWeekdayHour, byDay, totals };
}

/** Histogram bounds of reply times, in seconds. */
const REPLY_BUCKETS: Array<{ label: string; upToSeconds: number | null }> = [
  { label: "< 1 min", upToSeconds: 60 },
  { label: "1–5 min", upToSeconds: 300 },
  { label: "5–15 min", upToSeconds: 900 },
  { label: "15–60 min", upToSeconds: 3600 },
  { label: "1–6 h", upToSeconds: 6 * 3600 },
  { label: "6–24 h", upToSeconds: 24 * 3600 },
  { label: "≥ 1 day", upToSeconds: null },
];

/**
 * Median and p90 of the reply gaps (whole seconds; negative gaps from clock steps count as 0),
 * interpolated linearly between neighbouring ranks like PostgreSQL's `percentile_cont`, rounded to 0.1 s.
 */
export function replyStats(rows: ReplyGapRow[]): Insights["replyTimeSeconds"] {
  const merged = new Map<number, number>();
  for (const row of rows) {
    const gap = Math.max(0, row.gap);
    merged.set(gap, (merged.get(gap) ?? 0) + row.count);
  }
  const sorted = [...merged].sort((a, b) => a[0] - b[0]);
  const count = sorted.reduce((sum, [, n]) => sum + n, 0);
  const histogram: ReplyTimeBucket[] = REPLY_BUCKETS.map((b) => ({ ...b, count: 0 }));
  for (const [gap, n] of sorted) {
    const bucket = histogram.find((b) => b.upToSeconds === null || gap < b.upToSeconds);
    if (bucket) bucket.count += n;
  }

  /** The value at 0-based rank `rank` of the sorted gaps. */
  const valueAt = (rank: number): number => {
    let seen = 0;
    for (const [gap, n] of sorted) {
      seen += n;
      if (rank < seen) return gap;
    }
    return sorted[sorted.length - 1]?.[0] ?? 0;
  };
  const quantile = (p: number): number | null => {
    if (count === 0) return null;
    const position = p * (count - 1);
    const lower = Math.floor(position);
    const low = valueAt(lower);
    const high = valueAt(Math.ceil(position));
    // Rounded to 0.1 s: interpolation would otherwise leak float noise (12.600000000000001).
    return Math.round((low + (high - low) * (position - lower)) * 10) / 10;
  };
  return { median: quantile(0.5), p90: quantile(0.9), count, histogram };
}
