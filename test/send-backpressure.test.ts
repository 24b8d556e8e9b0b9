import SqliteDatabase from "better-sqlite3";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { MessagePage, SendAck } from "../src/protocol/index.js";
import { type ClientSocket, closeAllSockets, connected, eventually, pair } from "./support/client.js";
import { TcpProxy } from "./support/cuttable-proxy.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/databases.js";
import { startServer, type TestServer } from "./support/server.js";

/** Longer than the timeouts the server must answer within (SQLite busy 5 s, PostgreSQL lock 3 s, connect 5 s). */
const ACK_WAIT_MS = 20_000;

const sendAll = (socket: ClientSocket, chatId: string, bodies: string[]) =>
  Promise.all(
    bodies.map((body) =>
      socket.timeout(ACK_WAIT_MS).emitWithAck("message:send", { chatId, body, clientId: body }),
    ),
  );

const outcome = (ack: SendAck) => (ack.ok ? "ok" : ack.error.code);

/** Another connection takes the database's write lock (SQLite) or the chat's row lock (PostgreSQL). */
async function holdWriteLock(server: TestServer, chatId: string): Promise<() => Promise<void>> {
  if (server.app.database.dialect === "sqlite") {
    const other = new SqliteDatabase(server.databaseUrl.slice("sqlite:".length));
    other.exec("begin immediate");
    return async () => {
      other.exec("rollback");
      other.close();
    };
  }
  const other = new pg.Client({ connectionString: server.databaseUrl });
  await other.connect();
  await other.query("begin");
  await other.query("select 1 from chats where id = $1 for update", [chatId]);
  return async () => {
    await other.query("rollback");
    await other.end();
  };
}

async function storedBodies(
  user: { api: (m: string, p: string) => Promise<{ body: unknown }> },
  chatId: string,
) {
  const page = (await user.api("GET", `/api/chats/${chatId}/messages?limit=100`)).body as MessagePage;
  return page.messages.map((m) => m.body);
}

describe.each(DIALECTS)("sending while the database is locked (%s)", (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ dialect });
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  it("answers every send unavailable within the lock timeout, trying the batch once, and recovers when the lock goes", async () => {
    const { alice, chatId } = await pair(server.url);
    const socket = await connected(server.url, alice.cookie);
    const release = await holdWriteLock(server, chatId);
    let acks: SendAck[];
    try {
      acks = await sendAll(
        socket,
        chatId,
        Array.from({ length: 10 }, (_, i) => `locked-${i}`),
      );
    } finally {
      await release();
    }
    expect(acks.map(outcome)).toEqual(Array(10).fill("unavailable"));

    const [after] = await sendAll(socket, chatId, ["after the lock"]);
    expect(after && outcome(after)).toBe("ok");
    expect(await storedBodies(alice, chatId)).toEqual(["after the lock"]);
  });
});

describe("a bounded send queue (sqlite)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { SEND_QUEUE_MAX: "5" } });
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  it("refuses sends beyond the bound at once with unavailable while a commit is stuck, and stores only what it accepted", async () => {
    const { alice, chatId } = await pair(server.url);
    const socket = await connected(server.url, alice.cookie);
    const release = await holdWriteLock(server, chatId);
    const answered = new Map<string, SendAck>();
    const bodies = Array.from({ length: 20 }, (_, i) => `q${i}`);
    const all = Promise.all(
      bodies.map((body) =>
        socket
          .timeout(ACK_WAIT_MS)
          .emitWithAck("message:send", { chatId, body, clientId: body })
          .then((ack) => answered.set(body, ack)),
      ),
    );
    try {
      await eventually(() => expect(answered.size).toBeGreaterThanOrEqual(10), ACK_WAIT_MS);
      // The refusals came while the accepted sends still wait for the lock.
      expect(answered.size).toBeLessThan(bodies.length);
      expect([...answered.values()].map(outcome)).toEqual(Array(answered.size).fill("unavailable"));
    } finally {
      await release();
    }
    await all;
    const ok = bodies.filter((b) => answered.get(b)?.ok);
    expect(ok.length).toBeLessThanOrEqual(10);
    expect((await storedBodies(alice, chatId)).sort()).toEqual(ok.sort());
  });
});

describe.runIf(DIALECTS.includes("postgres"))("sending while PostgreSQL is unreachable", () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let server: TestServer;
  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    const target = new URL(database.url);
    proxy = await TcpProxy.start(target.hostname, Number(target.port || 5432));
    server = await startServer({ databaseUrl: proxy.proxied(database.url) });
  });
  afterAll(async () => {
    await server?.close();
    await proxy?.close();
    await database?.drop();
  });
  afterEach(() => closeAllSockets());

  it("answers unavailable without retrying message by message, and stores again once the network is back", async () => {
    const { alice, chatId } = await pair(server.url);
    const socket = await connected(server.url, alice.cookie);
    proxy.cut("blackhole");
    const acks = await sendAll(
      socket,
      chatId,
      Array.from({ length: 10 }, (_, i) => `cut-${i}`),
    );
    expect(acks.map(outcome)).toEqual(Array(10).fill("unavailable"));
    // One connection attempt per batch (at most the writer's pool of two), not one per message.
    expect(proxy.attemptsWhileCut).toBeLessThanOrEqual(4);

    proxy.restore();
    await eventually(async () => {
      const [ack] = await sendAll(socket, chatId, ["back"]);
      expect(ack && outcome(ack)).toBe("ok");
    }, 15_000);
    expect(await storedBodies(alice, chatId)).toEqual(["back"]);
  });
});
