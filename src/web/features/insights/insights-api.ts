import type { Insights } from "../../../protocol/index.js";
import { request } from "../../api/http.js";

export interface InsightsFilter {
  chatId: string | null;
  from: string;
  to: string;
  tz: string;
}

export function fetchInsights(filter: InsightsFilter): Promise<Insights> {
  const query = new URLSearchParams({ from: filter.from, to: filter.to, tz: filter.tz });
  if (filter.chatId) query.set("chatId", filter.chatId);
  return request<Insights>("GET", `/api/insights?${query}`);
}

/** The browser's IANA zone; UTC when it has none. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** Today as YYYY-MM-DD in `zone`. */
export function todayInZone(zone: string, now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(now);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
