/**
 * Token buckets kept in memory, one per key: each holds up to `capacity` tokens (a burst) and
 * refills at `refillPerMinute`; an action takes one. A capacity of 0 turns the rule off. A bucket
 * that is full again is the same as none, so it is forgotten: memory stays bounded by the keys
 * active within the time a bucket takes to refill.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private sweptAt = 0;
  private readonly refillPerMs: number;

  constructor(
    private readonly capacity: number,
    refillPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.refillPerMs = refillPerMinute / 60_000;
  }

  get enabled(): boolean {
    return this.capacity > 0;
  }

  /** Takes a token for `key` and returns 0, or takes nothing and returns the seconds until one is back. */
  take(key: string): number {
    if (!this.enabled) return 0;
    const now = this.now();
    if (now - this.sweptAt > this.fullAfterMs()) this.sweep(now);
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    bucket.tokens = this.level(bucket, now);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    if (this.refillPerMs <= 0) return 60;
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.refillPerMs / 1000));
  }

  private level(bucket: { tokens: number; at: number }, now: number): number {
    return Math.min(this.capacity, bucket.tokens + (now - bucket.at) * this.refillPerMs);
  }

  /** How long an empty bucket takes to be full again (a minute when it never refills). */
  private fullAfterMs(): number {
    return this.refillPerMs > 0 ? this.capacity / this.refillPerMs : 60_000;
  }

  private sweep(now: number): void {
    this.sweptAt = now;
    for (const [key, bucket] of this.buckets)
      if (this.level(bucket, now) >= this.capacity) this.buckets.delete(key);
  }
}
