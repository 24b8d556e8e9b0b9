import { describe, expect, it } from "vitest";
import { Delivery } from "../src/client/delivery.js";
import type { Message } from "../src/protocol/index.js";

const CHAT = "c1";
const msg = (seq: number, clientId = `k${seq}`): Message => ({
  id: `${CHAT}-${String(seq).padStart(10, "0")}`,
  chatId: CHAT,
  seq,
  sender: { id: clientId.startsWith("own") ? "me" : "u2", username: "x" },
  body: `m${seq}`,
  clientId,
  createdAt: new Date(0).toISOString(),
  rev: seq,
  editedAt: null,
  deletedAt: null,
  replyTo: null,
  reactions: [],
  files: [],
  system: null,
});

/** A Delivery over a server history of `stored` messages; returns what it delivered. */
function setup(stored: Message[], start: Message | null) {
  const delivered: number[] = [];
  const fetches: string[] = [];
  const delivery = new Delivery({
    page: async (_chatId, query) => {
      fetches.push(JSON.stringify(query));
      const afterSeq = query.after ? Number(query.after.split("-")[1]) : 0;
      const beforeSeq = query.before ? Number(query.before.split("-")[1]) : Number.POSITIVE_INFINITY;
      const rows = stored.filter((m) => m.seq > afterSeq && m.seq < beforeSeq);
      const page = query.after ? rows.slice(0, 2) : rows.slice(-2);
      return { messages: page, hasMore: rows.length > 2 };
    },
    isOwn: (m) => m.sender.id === "me",
    deliver: (m) => delivered.push(m.seq),
    onError: (error) => {
      throw error;
    },
  });
  delivery.track(CHAT, start);
  return { delivery, delivered, fetches };
}

describe("client delivery", () => {
  it.each([
    { name: "in-order live messages pass straight through", live: [2, 3], want: [2, 3], fetched: false },
    { name: "a duplicate live message is dropped", live: [2, 2, 3, 2], want: [2, 3], fetched: false },
    { name: "an old message is dropped", live: [1], want: [], fetched: false },
    { name: "a gap fetches the missing ones first", live: [5], want: [2, 3, 4, 5], fetched: true },
  ])("$name", async ({ live, want, fetched }) => {
    const stored = [1, 2, 3, 4, 5].map((s) => msg(s));
    const { delivery, delivered, fetches } = setup(stored, msg(1));
    for (const seq of live) delivery.live(msg(seq));
    await delivery.settled();
    expect(delivered).toEqual(want);
    expect(fetches.length > 0).toBe(fetched);
  });

  it("skips its own acknowledged messages without taking them for a gap", async () => {
    const stored = [msg(1), msg(2, "own-a"), msg(3)];
    const { delivery, delivered, fetches } = setup(stored, msg(1));
    delivery.acknowledged(msg(2, "own-a"));
    delivery.live(msg(3));
    await delivery.settled();
    expect(delivered).toEqual([3]);
    expect(fetches).toEqual([]);
  });

  it("catches up after the last message held, once", async () => {
    const stored = [1, 2, 3, 4, 5].map((s) => msg(s));
    const { delivery, delivered } = setup(stored, msg(1));
    delivery.live(msg(2));
    await delivery.syncAll();
    await delivery.syncAll();
    expect(delivered).toEqual([2, 3, 4, 5]);
  });

  it("catches up a chat that was empty when first seen, oldest first", async () => {
    const stored = [1, 2, 3, 4, 5].map((s) => msg(s));
    const { delivery, delivered } = setup(stored, null);
    await delivery.sync(CHAT);
    expect(delivered).toEqual([1, 2, 3, 4, 5]);
  });

  it("moves past a gap the server cannot fill (a message it no longer has)", async () => {
    const stored = [msg(1), msg(3)];
    const { delivery, delivered } = setup(stored, msg(1));
    delivery.live(msg(3));
    await delivery.settled();
    delivery.live(msg(4));
    expect(delivered).toEqual([3, 4]);
  });
});
