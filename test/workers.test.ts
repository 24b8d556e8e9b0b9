import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { io } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Chat } from "../src/protocol/index.js";
import {
  type ClientSocket,
  clientId,
  closeAllSockets,
  connected,
  eventually,
  nextEvent,
  pair,
  send,
  signUp,
} from "./support/client.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/databases.js";
import { expectNoLossNorDoubles, FailoverClient } from "./support/failover.js";
import { health, scrape, socketsPerWorker } from "./support/metrics.js";
import { childPids, type ServerProcess, startServerProcess } from "./support/process.js";

/** Connects and tells which worker took the socket: the one whose socket count went up. */
async function connectOnWorker(
  url: string,
  cookie: string,
): Promise<{ socket: ClientSocket; worker: string }> {
  const before = await socketsPerWorker(url);
  const socket = await connected(url, cookie);
  let worker = "";
  await eventually(async () => {
    const after = await socketsPerWorker(url);
    const grown = Object.keys(after).filter((w) => (after[w] ?? 0) > (before[w] ?? 0));
    expect(grown).toHaveLength(1);
    worker = grown[0] as string;
  });
  return { socket, worker };
}

describe.each(DIALECTS)("--workers 2 on one port (%s)", (dialect) => {
  let database: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    dataDir = mkdtempSync(join(tmpdir(), "glasschat-workers-"));
    server = await startServerProcess({ DATABASE_URL: database.url, DATA_DIR: dataDir }, ["--workers", "2"]);
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill("SIGTERM");
      expect(await server.exited).toBe(0);
    }
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  afterEach(() => closeAllSockets());

  it("delivers messages, chat:new, chat:cleared and logout across workers", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const carol = await signUp(server.url, "carol");
    // Least-connection hand-off alternates: alice's two tabs end up on different workers.
    const aliceTab1 = await connectOnWorker(server.url, alice.cookie);
    const bobTab = await connectOnWorker(server.url, bob.cookie);
    const carolTab = await connectOnWorker(server.url, carol.cookie);
    const aliceTab2 = await connectOnWorker(server.url, alice.cookie);
    expect(bobTab.worker).not.toBe(aliceTab1.worker);
    expect(aliceTab2.worker).not.toBe(aliceTab1.worker);
    expect(new Set(Object.keys(await socketsPerWorker(server.url)))).toEqual(new Set(["1", "2"]));

    const toBob = nextEvent(bobTab.socket, "message:new");
    const toAliceTab2 = nextEvent(aliceTab2.socket, "message:new");
    const ack = await send(aliceTab1.socket, { chatId, body: "across workers", clientId: clientId() });
    expect(ack.ok).toBe(true);
    expect((await toBob).body).toBe("across workers");
    expect((await toAliceTab2).body).toBe("across workers");

    const toCarol = nextEvent(carolTab.socket, "chat:new");
    const created = await alice.api<{ chat: Chat }>("POST", "/api/chats", { email: carol.email });
    expect((await toCarol).id).toBe(created.body.chat.id);
    const toCarolMessage = nextEvent(carolTab.socket, "message:new");
    await send(aliceTab1.socket, { chatId: created.body.chat.id, body: "hi carol", clientId: clientId() });
    expect((await toCarolMessage).body).toBe("hi carol");

    const cleared = nextEvent(bobTab.socket, "chat:cleared");
    await alice.api("POST", `/api/chats/${chatId}/clear`, { forEveryone: true });
    expect(await cleared).toEqual({ chatId, seq: expect.any(Number) });

    const gone = [aliceTab1.socket, aliceTab2.socket].map(
      (s) =>
        new Promise<string>((resolve, reject) => {
          s.once("disconnect", resolve);
          setTimeout(() => reject(new Error("a tab of alice stayed connected after logout")), 5000);
        }),
    );
    await alice.api("POST", "/api/auth/logout");
    expect(await Promise.all(gone)).toEqual(["io server disconnect", "io server disconnect"]);
  });

  it("keeps HTTP long-polling sessions on their worker (sticky hand-off)", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const polling = (cookie: string) =>
      new Promise<ClientSocket>((resolve, reject) => {
        const socket: ClientSocket = io(server.url, {
          transports: ["polling"],
          reconnection: false,
          forceNew: true,
          extraHeaders: { cookie },
        });
        socket.once("connect", () => resolve(socket));
        socket.once("connect_error", reject);
      });
    const [a, b] = await Promise.all([polling(alice.cookie), polling(bob.cookie)]);
    try {
      const got: string[] = [];
      b.on("message:new", (m) => got.push(m.body));
      for (let i = 0; i < 10; i++) {
        const ack = await send(a, { chatId, body: `poll ${i}`, clientId: clientId() });
        expect(ack.ok).toBe(true);
      }
      await eventually(() => expect(got).toHaveLength(10));
      expect(a.connected && b.connected).toBe(true);
    } finally {
      a.disconnect();
      b.disconnect();
    }
  });

  it("restarts a worker killed mid-conversation; its clients reconnect and catch up", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const clients = [
      new FailoverClient("alice", [server.url], alice.cookie, chatId),
      new FailoverClient("bob", [server.url], bob.cookie, chatId),
    ];
    for (const c of clients) await c.start();
    await clients[0]?.send("before the crash");
    const workersBefore = childPids(server.child.pid as number);
    expect(workersBefore).toHaveLength(2);

    let sending = true;
    const loops = clients.map(async (c) => {
      let n = 0;
      while (sending) await c.send(`${c.name} ${n++}`);
    });
    await eventually(() => expect(clients.every((c) => c.acked.size >= 20)).toBe(true), 10_000);
    process.kill(workersBefore[0] as number, "SIGKILL");
    await eventually(() => expect(clients.some((c) => c.reconnects > 0)).toBe(true), 10_000);
    const ackedAtCrash = clients.map((c) => c.acked.size);
    await eventually(
      () => expect(clients.every((c, i) => c.acked.size >= (ackedAtCrash[i] ?? 0) + 20)).toBe(true),
      15_000,
    );
    sending = false;
    await Promise.all(loops);

    // Replaced: two workers again, one of them new.
    await eventually(() => {
      const now = childPids(server.child.pid as number);
      expect(now).toHaveLength(2);
      expect(now).not.toContain(workersBefore[0]);
    }, 15_000);
    await eventually(async () => expect((await health(server.url)).status).toBe(200), 15_000);
    // The new worker is ready: it reports its own series.
    await eventually(
      async () => expect(Object.keys(await socketsPerWorker(server.url))).toHaveLength(2),
      15_000,
    );
    await expectNoLossNorDoubles(server.url, clients);
    for (const c of clients) c.stop();
  }, 60_000);

  it("takes concurrent writes from both workers under load without a refusal or a 'database is locked'", async () => {
    const pairs = await Promise.all(Array.from({ length: 6 }, () => pair(server.url)));
    const sockets = await Promise.all(
      pairs.flatMap(({ alice, bob, chatId }) => [
        connected(server.url, alice.cookie).then((socket) => ({ socket, chatId })),
        connected(server.url, bob.cookie).then((socket) => ({ socket, chatId })),
      ]),
    );
    const workers = await socketsPerWorker(server.url);
    expect(Object.values(workers).filter((n) => n > 0)).toHaveLength(2);
    const refused: string[] = [];
    let acked = 0;
    // Every socket keeps 4 sends in flight while others sign up and start chats (Kysely transactions).
    const senders = sockets.map(async ({ socket, chatId }) => {
      const inflight = Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 40; i++) {
          const ack = await send(socket, { chatId, body: `load ${i}`, clientId: clientId() });
          if (ack.ok) acked++;
          else refused.push(ack.error.code);
        }
      });
      await Promise.all(inflight);
    });
    const writers = Array.from({ length: 10 }, () => pair(server.url));
    await Promise.all([...senders, ...writers]);
    expect(refused).toEqual([]);
    expect(acked).toBe(sockets.length * 4 * 40);
    expect(server.output()).not.toMatch(/locked|SQLITE_BUSY/i);
    const sent = (await scrape(server.url)).filter((s) => s.name === "glasschat_messages_sent_total");
    expect(sent.reduce((n, s) => n + s.value, 0)).toBeGreaterThanOrEqual(acked);
  });

  it("completes every WebSocket handshake handed to a worker (no first frame lost in the hand-off)", async () => {
    const user = await signUp(server.url, "many");
    for (let i = 0; i < 100; i++) {
      const socket = await connected(server.url, user.cookie);
      socket.disconnect();
    }
  }, 60_000);
});
