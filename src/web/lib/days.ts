import type { ClientMessage } from "./messages.js";

export type Row =
  | { kind: "day"; key: string; label: string; date: string }
  | { kind: "message"; key: string; message: ClientMessage; firstOfGroup: boolean };

/** Calendar day in the viewer's time zone, e.g. "2026-11-24". */
export function dayKey(date: Date): string {
  const m = String(date.getMonth() + 1).padStart(2, "0");
  const d = String(date.getDate()).padStart(2, "0");
  return `${date.getFullYear()}-${m}-${d}`;
}

/** "Today", "Yesterday" (Intl's own words for them), capitalised as a heading. */
function relativeDay(days: 0 | -1, locale?: string): string {
  const word = new Intl.RelativeTimeFormat(locale, { numeric: "auto" }).format(days, "day");
  return word.charAt(0).toLocaleUpperCase(locale) + word.slice(1);
}

/** "Today", "Yesterday", or the date, in the viewer's language (`locale`). */
export function dayLabel(date: Date, now: Date, locale?: string): string {
  const key = dayKey(date);
  if (key === dayKey(now)) return relativeDay(0, locale);
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  if (key === dayKey(yesterday)) return relativeDay(-1, locale);
  const sameYear = date.getFullYear() === now.getFullYear();
  return new Intl.DateTimeFormat(locale, {
    weekday: "long",
    day: "numeric",
    month: "long",
    ...(sameYear ? {} : { year: "numeric" }),
  }).format(date);
}

/**
 * Time of day in the viewer's locale, e.g. "00:04" or "12:04 AM". The locale's own short time
 * style, not `hour: "numeric"`: that drops the leading zero a German clock shows ("0:04").
 */
export function timeLabel(iso: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { timeStyle: "short" }).format(new Date(iso));
}

/** Short time for the chat list: the time today, else the date. */
export function shortStamp(iso: string, now: Date, locale?: string): string {
  const date = new Date(iso);
  if (dayKey(date) === dayKey(now)) return timeLabel(iso, locale);
  return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short" }).format(date);
}

/**
 * Interleaves a separator before the first message of each calendar day. Consecutive messages
 * from the same sender on the same day form a group (only the first shows the sender's name).
 */
export function withDaySeparators(messages: readonly ClientMessage[], now: Date, locale?: string): Row[] {
  const rows: Row[] = [];
  let currentDay = "";
  let previousSender = "";
  for (const message of messages) {
    const date = new Date(message.createdAt);
    const key = dayKey(date);
    if (key !== currentDay) {
      currentDay = key;
      previousSender = "";
      rows.push({ kind: "day", key: `day:${key}`, label: dayLabel(date, now, locale), date: key });
    }
    rows.push({
      kind: "message",
      key: message.status === "sent" ? message.id : `local:${message.clientId}`,
      message,
      firstOfGroup: message.sender.id !== previousSender,
    });
    // A system note breaks a run: the next message shows its sender again.
    previousSender = message.system ? "" : message.sender.id;
  }
  return rows;
}
