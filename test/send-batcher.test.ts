import { describe, expect, it } from "vitest";
import { SendBatcher } from "../src/server/domain/send-batcher.js";

const withinMs = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms)),
  ]);

describe("SendBatcher", () => {
  it("commits a submit made in the continuation of an earlier submit's result without waiting for another send", async () => {
    const flushed: number[][] = [];
    const batcher = new SendBatcher<number, number>(async (items) => {
      flushed.push(items);
      return items.map((n) => n * 10);
    });
    const second = batcher.submit(1).then(() => batcher.submit(2));
    expect(await withinMs(second, 2000)).toBe(20);
    expect(flushed).toEqual([[1], [2]]);
  });

  it("counts what waits behind the commit in flight", async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const batcher = new SendBatcher<number, number>(async (items) => {
      await gate;
      return items;
    });
    const first = batcher.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [batcher.submit(2), batcher.submit(3)];
    expect(batcher.waiting).toBe(2);
    release();
    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3]);
    expect(batcher.waiting).toBe(0);
  });
});
