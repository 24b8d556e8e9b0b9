interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit. Sends that arrive in the same event-loop turn (or while a commit is in flight)
 * are written by one `flush` call, i.e. one transaction and one fsync, and each caller gets its
 * own result after that commit. Flushes run one at a time, so commits happen in arrival order.
 */
export class SendBatcher<T, R> {
  private queue: Pending<T, R>[] = [];
  private scheduled = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly flush: (items: T[]) => Promise<R[]>,
    private readonly options: { batching: boolean; maxBatch: number } = { batching: true, maxBatch: 500 },
  ) {}

  /** Submitted items not yet handed to `flush` (the backlog behind the commit in flight). */
  get waiting(): number {
    return this.queue.length;
  }

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once everything submitted so far is committed (used at shutdown). */
  async drain(): Promise<void> {
    while (this.running || this.scheduled || this.queue.length > 0) {
      if (this.running) await this.running;
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.running = this.drainQueue().finally(() => {
        this.running = undefined;
        // A submit made while the last flush was finishing (e.g. from a caller's continuation of
        // its result) saw `running` set and left the scheduling to us.
        if (this.queue.length > 0) this.schedule();
      });
    });
  }

  private async drainQueue(): Promise<void> {
    while (this.queue.length > 0) {
      const size = this.options.batching ? this.options.maxBatch : 1;
      const batch = this.queue.splice(0, size);
      try {
        const results = await this.flush(batch.map((p) => p.item));
        for (const [i, p] of batch.entries()) p.resolve(results[i] as R);
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
  }
}
