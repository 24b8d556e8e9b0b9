import { RateLimiter } from "../domain/rate-limiter.js";

/**
 * Users whose connection was just dropped for flooding. Their new handshakes are refused
 * `rate_limited` until that flood window ends: a flooder that reconnects at once would otherwise
 * get a fresh connection's allowance of events each time (hundreds more refusals to answer).
 * The session token the dropped connection came with is barred too, so that the handshake gate
 * can refuse its reconnections at the door, before Engine.IO and before any session lookup.
 */
export interface FloodOffenders {
  dropped(userId: string, sessionToken?: string): void;
  barred(userId: string): boolean;
  /** Seconds the connections of this session token are still refused, or 0. */
  tokenBarredFor(sessionToken: string): number;
  /** False when no token is barred: the gate then reads no cookie. */
  anyTokenBarred(): boolean;
}

export function createFloodOffenders(windowMs: number, now: () => number = Date.now): FloodOffenders {
  const users = new RateLimiter(1, windowMs, now);
  const tokens = new RateLimiter(1, windowMs, now);
  let tokensUntil = 0;
  return {
    dropped: (userId, sessionToken) => {
      users.hit(userId);
      if (!sessionToken) return;
      tokens.hit(sessionToken);
      tokensUntil = now() + windowMs;
    },
    barred: (userId) => users.retryAfter(userId) > 0,
    tokenBarredFor: (sessionToken) => tokens.retryAfter(sessionToken),
    anyTokenBarred: () => tokensUntil > now(),
  };
}
