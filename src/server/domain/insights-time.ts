/**
 * Local time without database time-zone support. SQLite has none, so both dialects get the same
 * treatment: the service asks Intl for the UTC offsets in force during the requested range (DST
 * transitions included) and the query shifts each `created_at` by the offset of the interval it
 * falls in (a CASE over a handful of boundaries) before grouping by local hour and day.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Offsets are sampled this far apart; a transition between two samples is then pinned to the second. */
const SAMPLE_MS = 12 * HOUR_MS;
/** Wider than any UTC offset (−12 h … +14 h), so local midnights at both ends fall inside the scan. */
const PAD_MS = 2 * DAY_MS;

/** [startUtc, endUtc) in epoch ms during which local time = UTC + offsetMs. */
export interface OffsetInterval {
  startUtc: number;
  endUtc: number;
  offsetMs: number;
}

/** A local date range as UTC instants, with the offsets that cover it exactly, in order. */
export interface LocalRange {
  /** Local midnight starting `from`. */
  startUtc: number;
  /** Local midnight after `to` (exclusive). */
  endUtc: number;
  intervals: OffsetInterval[];
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    // "longOffset" names the offset itself ("GMT+05:30", "GMT-03:30:52", "GMT"): one cheap format call.
    f = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
    formatters.set(zone, f);
  }
  return f;
}

const OFFSET_PATTERN = /GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** Milliseconds to add to a UTC instant to get the wall-clock time in `zone` (e.g. +3_600_000 for CET). */
export function offsetAt(zone: string, utcMs: number): number {
  const text = formatter(zone).format(new Date(utcMs));
  const match = OFFSET_PATTERN.exec(text);
  if (!match) throw new Error(`cannot read the UTC offset of ${zone} from "${text}"`);
  if (!match[1]) return 0;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4] ?? 0);
  return (match[1] === "-" ? -seconds : seconds) * 1000;
}

/** The offset intervals covering [fromUtc, toUtc), transitions located to the second. */
export function offsetIntervals(zone: string, fromUtc: number, toUtc: number): OffsetInterval[] {
  const intervals: OffsetInterval[] = [];
  let start = fromUtc;
  let offset = offsetAt(zone, fromUtc);
  let probe = fromUtc;
  while (probe < toUtc) {
    const next = Math.min(probe + SAMPLE_MS, toUtc);
    const nextOffset = offsetAt(zone, next);
    if (nextOffset !== offset) {
      // Binary search on whole seconds: the first second at which the new offset is in force.
      let lo = Math.floor(probe / 1000);
      let hi = Math.ceil(next / 1000);
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetAt(zone, mid * 1000) === offset) lo = mid;
        else hi = mid;
      }
      const at = hi * 1000;
      intervals.push({ startUtc: start, endUtc: at, offsetMs: offset });
      start = at;
      offset = offsetAt(zone, at);
    }
    probe = next;
  }
  intervals.push({ startUtc: start, endUtc: toUtc, offsetMs: offset });
  return intervals;
}

/** Epoch ms of 00:00 UTC on a `YYYY-MM-DD` date; also the "wall clock" of local midnight. */
export function dateToDayMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

export function dayMsToDate(dayMs: number): string {
  return new Date(dayMs).toISOString().slice(0, 10);
}

/**
 * The first instant whose local time is at or after the wall-clock time `wall`: for a time that
 * exists once, its instant; twice (fall back), the earlier; never (spring forward), the transition.
 */
export function wallToUtc(wall: number, intervals: OffsetInterval[]): number {
  for (const interval of intervals) {
    if (wall < interval.endUtc + interval.offsetMs)
      return Math.max(interval.startUtc, wall - interval.offsetMs);
  }
  const last = intervals[intervals.length - 1];
  return last ? wall - last.offsetMs : wall;
}

const cache = new Map<string, LocalRange>();
const CACHE_SIZE = 256;

/** The UTC instants and offsets of local dates `from`…`to` (both included) in `zone`. */
export function localRange(zone: string, from: string, to: string): LocalRange {
  const key = `${zone}|${from}|${to}`;
  const cached = cache.get(key);
  if (cached) return cached;

  const fromWall = dateToDayMs(from);
  const toWall = dateToDayMs(to) + DAY_MS;
  const wide = offsetIntervals(zone, fromWall - PAD_MS, toWall + PAD_MS);
  const startUtc = wallToUtc(fromWall, wide);
  const endUtc = wallToUtc(toWall, wide);
  const intervals = wide
    .filter((i) => i.endUtc > startUtc && i.startUtc < endUtc)
    .map((i) => ({
      startUtc: Math.max(i.startUtc, startUtc),
      endUtc: Math.min(i.endUtc, endUtc),
      offsetMs: i.offsetMs,
    }));
  const range = { startUtc, endUtc, intervals };

  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, range);
  return range;
}

/** Today's date (`YYYY-MM-DD`) in `zone` at instant `now`. */
export function todayIn(zone: string, now: number): string {
  return dayMsToDate(Math.floor((now + offsetAt(zone, now)) / DAY_MS) * DAY_MS);
}

/** `date` moved by `days` (negative: earlier). */
export function addDays(date: string, days: number): string {
  return dayMsToDate(dateToDayMs(date) + days * DAY_MS);
}

/** A local hour bucket (local epoch ms / 1 h) split into its date, hour and weekday (0 = Monday). */
export function splitHourBucket(bucket: number): { dayMs: number; hour: number; weekday: number } {
  const day = Math.floor(bucket / 24);
  // 1970-01-01 was a Thursday: day 0 is weekday 3 when Monday is 0.
  return { dayMs: day * DAY_MS, hour: bucket - day * 24, weekday: (((day + 3) % 7) + 7) % 7 };
}
