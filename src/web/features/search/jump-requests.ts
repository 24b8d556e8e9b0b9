import { createStore } from "../../lib/store.js";

/** Where to open a chat: at a message (a search result) or at the first message of a day. */
export type JumpTarget = { messageId: string } | { date: string };

export interface JumpRequest {
  chatId: string;
  target: JumpTarget;
  /** New for every request, so asking twice for the same place jumps twice. */
  token: number;
}

/**
 * Jumps asked for from outside the open chat's pane (the sidebar's search): the pane of that chat
 * takes the request once its first page is in, so the newest page cannot overwrite the jump.
 */
export const jumpRequests = createStore<JumpRequest | null>(null);

let tokens = 0;

export function requestJump(chatId: string, target: JumpTarget): void {
  jumpRequests.set(() => ({ chatId, target, token: ++tokens }));
}

/** Midnight of a `YYYY-MM-DD` day in the browser's time zone, as an ISO instant. */
export function startOfLocalDay(day: string): string {
  const [year, month, date] = day.split("-").map(Number);
  return new Date(year ?? 1970, (month ?? 1) - 1, date ?? 1).toISOString();
}
