import { describe, expect, it } from "vitest";
import { chatTitle } from "../src/server/domain/chat-view.js";
import { AppError } from "../src/server/domain/errors.js";
import { messageId, newId, seqFromMessageId } from "../src/server/domain/ids.js";
import { RateLimiter } from "../src/server/domain/rate-limiter.js";
import { SendBatcher } from "../src/server/domain/send-batcher.js";

describe("message ids", () => {
  it("sort in seq order as plain strings", () => {
    const ids = [1, 2, 9, 10, 11, 100, 12345].map((seq) => messageId("cabc", seq));
    expect([...ids].reverse().sort()).toEqual(ids);
  });

  it.each([
    ["cabc-0000000007", 7],
    ["cabc-0000000000", 0],
  ])("read %s back as seq %i", (id, seq) => {
    expect(seqFromMessageId("cabc", id, "after")).toBe(seq);
  });

  it.each(["cxyz-0000000007", "cabc", "cabc-", "cabc-12a", "cabc--1", "cabc-99999999999999999999"])(
    "refuse %s as a cursor of chat cabc",
    (id) => {
      expect(() => seqFromMessageId("cabc", id, "after")).toThrow(AppError);
    },
  );

  it("new ids are opaque, prefixed and unique", () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newId("c")));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^c[0-9a-z]{16}$/);
  });
});

describe("chat titles", () => {
  const alice = { id: "u1", username: "alice" };
  const bob = { id: "u2", username: "bob" };
  const carol = { id: "u3", username: "carol" };
  it.each([
    ["direct", [alice, bob], "u1", "bob"],
    ["direct", [alice, bob], "u2", "alice"],
    ["group", [alice, bob, carol], "u1", "bob, carol"],
  ] as const)("a %s chat of %j seen by %s is titled %s", (kind, members, viewer, title) => {
    expect(chatTitle(kind, [...members], viewer)).toBe(title);
  });
});

describe("rate limiter", () => {
  it("allows `limit` actions per window, then tells how long to wait", () => {
    let now = 0;
    const limiter = new RateLimiter(2, 10_000, () => now);
    expect([limiter.hit("a"), limiter.hit("a"), limiter.hit("a")]).toEqual([0, 0, 10]);
    expect(limiter.hit("b")).toBe(0);
    now = 4_000;
    expect(limiter.retryAfter("a")).toBe(6);
    now = 10_000;
    expect(limiter.retryAfter("a")).toBe(0);
    expect(limiter.hit("a")).toBe(0);
  });

  it("is off with a limit of 0", () => {
    const limiter = new RateLimiter(0, 1000);
    for (let i = 0; i < 100; i++) expect(limiter.hit("a")).toBe(0);
  });
});

describe("send batcher (group commit)", () => {
  it("writes everything submitted in one event-loop turn with one flush, in order", async () => {
    const flushes: number[][] = [];
    const batcher = new SendBatcher<number, string>(async (items) => {
      flushes.push(items);
      return items.map((i) => `r${i}`);
    });
    const results = await Promise.all([1, 2, 3].map((i) => batcher.submit(i)));
    expect(results).toEqual(["r1", "r2", "r3"]);
    expect(flushes).toEqual([[1, 2, 3]]);
  });

  it("collects what arrives during a slow flush into the next one", async () => {
    const flushes: number[][] = [];
    let release: () => void = () => {};
    const batcher = new SendBatcher<number, number>(async (items) => {
      flushes.push(items);
      if (flushes.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return items;
    });
    const first = batcher.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [batcher.submit(2), batcher.submit(3)];
    release();
    await Promise.all([first, ...later]);
    expect(flushes).toEqual([[1], [2, 3]]);
  });

  it("flushes one item at a time when batching is off, and drain waits for all", async () => {
    const flushes: number[][] = [];
    const batcher = new SendBatcher<number, number>(
      async (items) => {
        flushes.push(items);
        return items;
      },
      { batching: false, maxBatch: 500 },
    );
    void [1, 2, 3].map((i) => batcher.submit(i));
    await batcher.drain();
    expect(flushes).toEqual([[1], [2], [3]]);
  });

  it("rejects every item of a flush that throws, and keeps working", async () => {
    let fail = true;
    const batcher = new SendBatcher<number, number>(async (items) => {
      if (fail) throw new Error("disk full");
      return items;
    });
    await expect(batcher.submit(1)).rejects.toThrow("disk full");
    fail = false;
    await expect(batcher.submit(2)).resolves.toBe(2);
  });
});
