import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { Chat, PresenceEvent } from "../src/protocol/index.js";
import { closeAllSockets, collect, connected, eventually, pair } from "./support/client.js";
import {
  createTestDatabase,
  SCALE_OUT_READY,
  TEST_REDIS_URL,
  type TestDatabase,
} from "./support/databases.js";
import { childPids, type ServerProcess, startServerProcess } from "./support/process.js";

/** Short, so that the bound (PRESENCE_TTL_S, default 60) is checked in seconds. */
const TTL_S = 8;
const SECRET = "a-shared-secret-for-every-node-0123456789";

const memberOf = (chats: Chat[], chatId: string, userId: string) =>
  chats.find((c) => c.id === chatId)?.members.find((m) => m.id === userId);

describe("presence heals after a crash", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(() => closeAllSockets());
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function started(env: Record<string, string>, args: string[] = []): Promise<ServerProcess> {
    const dataDir = mkdtempSync(join(tmpdir(), "glasschat-presence-"));
    const node = await startServerProcess({ ...env, DATA_DIR: dataDir, PRESENCE_TTL_S: String(TTL_S) }, args);
    cleanups.push(async () => {
      if (node.child.exitCode === null) node.child.kill("SIGKILL");
      await node.exited;
      rmSync(dataDir, { recursive: true, force: true });
    });
    return node;
  }

  async function database(dialect: "sqlite" | "postgres"): Promise<TestDatabase> {
    const db = await createTestDatabase(dialect);
    cleanups.push(() => db.drop());
    return db;
  }

  it.runIf(SCALE_OUT_READY)(
    "a SIGKILLed node's user goes offline for peers on the surviving node within PRESENCE_TTL_S, with lastSeenAt",
    async () => {
      const db = await database("postgres");
      const env = { DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL as string, SESSION_SECRET: SECRET };
      const [survivor, doomed] = await Promise.all([started(env), started(env)]);
      const { alice, bob, chatId } = await pair(survivor.url);
      const aliceSocket = await connected(survivor.url, alice.cookie);
      const seen = collect(aliceSocket, "presence");
      await connected(doomed.url, bob.cookie);
      await eventually(() => expect(seen).toEqual([{ userId: bob.user.id, online: true, lastSeenAt: null }]));

      const killedAt = Date.now();
      doomed.child.kill("SIGKILL");
      await eventually(() => expect(seen).toHaveLength(2), TTL_S * 1000 + 2000);
      expect(Date.now() - killedAt).toBeLessThanOrEqual(TTL_S * 1000);
      const offline = seen[1] as PresenceEvent;
      expect(offline).toMatchObject({ userId: bob.user.id, online: false });
      // When the node was last known alive: before the kill, within the heartbeat period.
      const lastSeen = Date.parse(offline.lastSeenAt ?? "");
      expect(lastSeen).toBeLessThanOrEqual(killedAt);
      expect(lastSeen).toBeGreaterThan(killedAt - TTL_S * 1000);
      const chats = await alice.api<{ chats: Chat[] }>("GET", "/api/chats");
      expect(memberOf(chats.body.chats, chatId, bob.user.id)).toMatchObject({
        online: false,
        lastSeenAt: offline.lastSeenAt,
      });
    },
    60_000,
  );

  it("--workers without Redis: tabs on both workers keep a user online; killed workers' users go offline within PRESENCE_TTL_S", async () => {
    const db = await database("sqlite");
    const server = await started({ DATABASE_URL: db.url }, ["--workers", "2"]);
    const { alice, bob, chatId } = await pair(server.url);
    const aliceSocket = await connected(server.url, alice.cookie);
    const seen = collect(aliceSocket, "presence");
    // Least-connection hand-off: the tabs land on both workers.
    const tabs = [await connected(server.url, bob.cookie), await connected(server.url, bob.cookie)];
    await eventually(() => expect(seen).toHaveLength(1));
    // A worker records its socket just after the handshake: until both are, one tab leaving is
    // the user's last, rightly (online, offline, online when the other one lands).
    const store = new SqliteDatabase(db.url.slice("sqlite:".length), { readonly: true });
    cleanups.push(() => void store.close());
    const socketsOf = store.prepare<[string], { n: number }>(
      "select count(*) as n from presence_sockets where user_id = ?",
    );
    await eventually(() => expect(socketsOf.get(bob.user.id)?.n).toBe(2));
    tabs[0]?.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(seen).toHaveLength(1);
    tabs[1]?.disconnect();
    await eventually(() => expect(seen.at(-1)).toMatchObject({ userId: bob.user.id, online: false }));

    // Both workers die with alice and bob connected; the replacements sweep what they left.
    await connected(server.url, bob.cookie);
    await eventually(() => expect(seen.at(-1)).toMatchObject({ userId: bob.user.id, online: true }));
    const workers = childPids(server.child.pid as number);
    const killedAt = Date.now();
    for (const pid of workers) process.kill(pid, "SIGKILL");
    await eventually(async () => {
      const replaced = childPids(server.child.pid as number);
      expect(replaced.filter((pid) => !workers.includes(pid))).toHaveLength(2);
      expect((await fetch(`${server.url}/healthz`)).ok).toBe(true);
    }, 30_000);
    // The bound counts from when a worker runs again (a restart takes a few seconds under load).
    const backAt = Date.now();
    await eventually(
      async () => {
        const chats = await alice.api<{ chats: Chat[] }>("GET", "/api/chats");
        expect(memberOf(chats.body.chats, chatId, bob.user.id)?.online).toBe(false);
      },
      TTL_S * 1000 + 10_000,
    );
    expect(Date.now() - backAt).toBeLessThanOrEqual(TTL_S * 1000);
    const chats = await alice.api<{ chats: Chat[] }>("GET", "/api/chats");
    const lastSeen = Date.parse(memberOf(chats.body.chats, chatId, bob.user.id)?.lastSeenAt ?? "");
    expect(lastSeen).toBeLessThanOrEqual(killedAt);
  }, 90_000);
});
