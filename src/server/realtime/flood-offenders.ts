import { RateLimiter } from "../domain/rate-limiter.js";

/**
 * Users whose connection was just dropped for flooding. Their new handshakes are refused
 * `rate_limited` until that flood window ends: a flooder that reconnects at once would otherwise
 * get a fresh connection's allowance of events each time (hundreds more refusals to answer).
 */
export interface FloodOffenders {
  dropped(userId: string): void;
  barred(userId: string): boolean;
}

export function createFloodOffenders(windowMs: number, now: () => number = Date.now): FloodOffenders {
  const recent = new RateLimiter(1, windowMs, now);
  return {
    dropped: (userId) => void recent.hit(userId),
    barred: (userId) => recent.retryAfter(userId) > 0,
  };
}
