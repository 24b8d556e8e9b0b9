import SqliteDatabase from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { MessagePage, SendAck } from "../src/protocol/index.js";
import {
  clientId,
  closeAllSockets,
  collect,
  connected,
  eventually,
  nextEvent,
  pair,
  send,
} from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { startServer, type TestServer } from "./support/server.js";

const seqOf = (ack: SendAck) => (ack.ok ? ack.message.seq : -1);

describe.each(DIALECTS)("one group commit of several chats (%s)", (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ dialect, env: { SQLITE_WRITER: "inline" } });
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  it("numbers each chat's messages in order, answers a retry with its first copy, and brings a removed chat back once", async () => {
    const first = await pair(server.url);
    const second = await pair(server.url);
    // Bob of the first pair removed the chat: the next message brings it back, once.
    expect((await first.bob.api("DELETE", `/api/chats/${first.chatId}`)).status).toBe(204);
    const bobSocket = await connected(server.url, first.bob.cookie);
    const chatsBack = collect(bobSocket, "chat:new");
    const bobGot = collect(bobSocket, "message:new");
    const a = await connected(server.url, first.alice.cookie);
    const b = await connected(server.url, second.alice.cookie);

    // Sent in one turn: one batch, both chats interleaved, a retry inside it.
    const retried = clientId();
    const acks = await Promise.all([
      send(a, { chatId: first.chatId, body: "one", clientId: retried }),
      send(b, { chatId: second.chatId, body: "uno", clientId: clientId() }),
      send(a, { chatId: first.chatId, body: "two", clientId: clientId() }),
      send(a, { chatId: first.chatId, body: "one", clientId: retried }),
      send(b, { chatId: second.chatId, body: "dos", clientId: clientId() }),
      send(a, { chatId: first.chatId, body: "three", clientId: clientId() }),
    ]);
    expect(acks.map(seqOf)).toEqual([1, 1, 2, 1, 2, 3]);

    await eventually(() => {
      expect(bobGot.map((m) => m.body)).toEqual(["one", "two", "three"]);
      expect(chatsBack.map((c) => c.id)).toEqual([first.chatId]);
    });
    // The counters moved once per message: the next send of each chat follows on.
    expect(seqOf(await send(a, { chatId: first.chatId, body: "four", clientId: clientId() }))).toBe(4);
    expect(seqOf(await send(b, { chatId: second.chatId, body: "tres", clientId: clientId() }))).toBe(3);
    const page = await first.bob.api<MessagePage>("GET", `/api/chats/${first.chatId}/messages`);
    expect(page.body.messages.map((m) => [m.seq, m.body])).toEqual([
      [1, "one"],
      [2, "two"],
      [3, "three"],
      [4, "four"],
    ]);
  });
});

describe("the SQLite writer on the main thread", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ dialect: "sqlite", env: { SQLITE_WRITER: "inline" } });
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  it("waits for a write lock held elsewhere without blocking other requests, then stores and acknowledges", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const aliceSocket = await connected(server.url, alice.cookie);
    const bobSocket = await connected(server.url, bob.cookie);
    const path = server.databaseUrl.replace(/^sqlite:/, "");
    const other = new SqliteDatabase(path);
    try {
      other.exec("begin immediate");
      const delivered = nextEvent(bobSocket, "message:new");
      const ack = send(aliceSocket, { chatId, body: "after the lock", clientId: clientId() });
      // The event loop is free meanwhile: other requests are answered.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await alice.api("GET", "/api/me")).status).toBe(200);
      other.exec("commit");
      const answer = await ack;
      expect(answer.ok).toBe(true);
      expect((await delivered).body).toBe("after the lock");
    } finally {
      if (other.inTransaction) other.exec("rollback");
      other.close();
    }
  });
});
