import { rng } from "../../../src/server/seeded-random.js";

/** What a category gets from the runner: its seed, a cleanup list, and the run's options. */
export class Context {
  readonly random: () => number;
  private readonly cleanups: (() => unknown)[] = [];

  constructor(
    readonly seed: number,
    readonly long: boolean,
  ) {
    this.random = rng(seed);
  }

  /** Registers something to undo when the category ends, however it ends. */
  defer(fn: () => unknown): void {
    this.cleanups.push(fn);
  }

  int(max: number): number {
    return Math.floor(this.random() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** A seeded hex string, for names that must differ between runs of one server only. */
  hex(length = 8): string {
    let out = "";
    while (out.length < length) out += this.int(16).toString(16);
    return out;
  }

  async cleanup(): Promise<void> {
    for (const fn of this.cleanups.splice(0).reverse()) {
      try {
        await Promise.race([fn(), new Promise((resolve) => setTimeout(resolve, 10_000))]);
      } catch {
        // cleanup is best effort: the runner kills every child it started anyway
      }
    }
  }
}
