/**
 * Fixed-window counters kept in memory. A limit of 0 turns a rule off. Counters are per process:
 * with several workers each enforces the limit on its own share of traffic.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private sweptAt = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.limit > 0;
  }

  /** Seconds to wait before `key` may act again, or 0 when it may act now. Does not count. */
  retryAfter(key: string): number {
    if (!this.enabled) return 0;
    const window = this.current(key);
    return window && window.count >= this.limit
      ? Math.max(1, Math.ceil((window.resetAt - this.now()) / 1000))
      : 0;
  }

  /**
   * Counts one action (or `amount` units of one, e.g. bytes); returns the seconds to wait if it
   * went over the limit, else 0.
   */
  hit(key: string, amount = 1): number {
    if (!this.enabled) return 0;
    const now = this.now();
    let window = this.current(key);
    if (!window) {
      window = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(key, window);
    }
    window.count += amount;
    return window.count > this.limit ? Math.max(1, Math.ceil((window.resetAt - now) / 1000)) : 0;
  }

  /**
   * Counts one action if `key` is under its limit and returns 0; otherwise counts nothing and
   * returns the seconds to wait. Checking and counting in one synchronous step means concurrent
   * attempts cannot all pass the check before any of them is counted.
   */
  reserve(key: string): number {
    const wait = this.retryAfter(key);
    if (wait === 0) this.hit(key);
    return wait;
  }

  /** Gives back one action counted by `reserve` (e.g. an attempt that turned out fine). */
  release(key: string): void {
    const window = this.windows.get(key);
    if (!window) return;
    window.count -= 1;
    if (window.count <= 0) this.windows.delete(key);
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private current(key: string) {
    const now = this.now();
    if (now - this.sweptAt > this.windowMs) this.sweep(now);
    const window = this.windows.get(key);
    if (window && window.resetAt <= now) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  private sweep(now: number): void {
    this.sweptAt = now;
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}
