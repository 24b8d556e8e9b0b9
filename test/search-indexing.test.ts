import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { Message, SearchPage } from "../src/protocol/index.js";
import { parseDatabaseUrl } from "../src/server/config.js";
import {
  type ClientSocket,
  clientId,
  closeAllSockets,
  connected,
  pair,
  request,
  send,
  type TestUser,
} from "./support/client.js";
import { createTestDatabase, DIALECTS, SCALE_OUT_READY, TEST_REDIS_URL } from "./support/databases.js";
import { freePort, type ServerProcess, startServerProcess } from "./support/process.js";
import { searchIndexed } from "./support/search.js";
import { startServer, type TestServer } from "./support/server.js";

const word = () =>
  `x${Array.from({ length: 8 }, () => "abcdefghijklmnopqrstuvwxyz"[Math.floor(Math.random() * 26)]).join("")}`;

async function say(socket: ClientSocket, chatId: string, body: string): Promise<Message> {
  const ack = await send(socket, { chatId, body, clientId: clientId() });
  if (!ack.ok) throw new Error(ack.error.code);
  return ack.message;
}

/** Every id `user` finds for `q`, all pages. */
async function foundIds(user: TestUser, q: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const params: URLSearchParams = new URLSearchParams({ q, limit: "50", ...(cursor ? { cursor } : {}) });
    const reply: { status: number; body: SearchPage } = await user.api<SearchPage>(
      "GET",
      `/api/search?${params}`,
    );
    expect(reply.status).toBe(200);
    ids.push(...reply.body.results.map((r) => r.message.id));
    cursor = reply.body.cursor;
  } while (cursor);
  return ids;
}

describe.each(DIALECTS)("search indexing after the commit (%s)", (dialect) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    closeAllSockets();
    await server?.close();
    server = undefined;
  });

  it("finds a message within a second of its ack, for both members", async () => {
    server = await startServer({ dialect });
    const { alice, bob, chatId } = await pair(server.url);
    const socket = await connected(server.url, alice.cookie);
    const w = word();
    const message = await say(socket, chatId, `ping ${w}`);
    const acked = performance.now();
    let waited = 0;
    for (const user of [alice, bob]) {
      while ((await foundIds(user, w)).length === 0) {
        waited = performance.now() - acked;
        expect(waited).toBeLessThan(1000);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(await foundIds(user, w)).toEqual([message.id]);
    }
    expect(performance.now() - acked).toBeLessThan(1000);
  });

  it("shows an edit or a deletion made before the message was indexed as it is now", async () => {
    server = await startServer({ dialect });
    const { alice, bob, chatId } = await pair(server.url);
    const socket = await connected(server.url, alice.cookie);
    const [before, after, gone] = [word(), word(), word()];
    const edited = await say(socket, chatId, `draft ${before}`);
    const deleted = await say(socket, chatId, `oops ${gone}`);
    const edit = await alice.api("PATCH", `/api/chats/${chatId}/messages/${edited.id}`, {
      body: `final ${after}`,
    });
    expect(edit.status).toBe(200);
    const removal = await alice.api("DELETE", `/api/chats/${chatId}/messages/${deleted.id}?for=everyone`);
    expect(removal.status).toBe(204);
    await searchIndexed(server);
    expect(await foundIds(bob, before)).toEqual([]);
    expect(await foundIds(bob, after)).toEqual([edited.id]);
    expect(await foundIds(bob, gone)).toEqual([]);
    // And once indexed, an edit still moves it.
    const again = await alice.api("PATCH", `/api/chats/${chatId}/messages/${edited.id}`, { body: before });
    expect(again.status).toBe(200);
    expect(await foundIds(bob, after)).toEqual([]);
    expect(await foundIds(bob, before)).toEqual([edited.id]);
  });

  it("keeps the index exact when edits and deletions race the indexing of the messages they change", async () => {
    server = await startServer({ dialect });
    const { alice, bob, chatId } = await pair(server.url);
    const socket = await connected(server.url, alice.cookie);
    const [old, fresh, gone] = [word(), word(), word()];
    const edited: string[] = [];
    const changes: Promise<unknown>[] = [];
    for (let i = 0; i < 60; i++) {
      const message = await say(socket, chatId, `${old} ${i}`);
      // Not awaited: the change lands while the indexer may be reading this very message.
      if (i % 3 === 2) {
        changes.push(
          alice
            .api("PATCH", `/api/chats/${chatId}/messages/${message.id}`, { body: `${gone} ${i}` })
            .then(() => alice.api("DELETE", `/api/chats/${chatId}/messages/${message.id}?for=everyone`)),
        );
      } else {
        edited.push(message.id);
        changes.push(
          alice.api("PATCH", `/api/chats/${chatId}/messages/${message.id}`, { body: `${fresh} ${i}` }),
        );
      }
      if (i % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 30));
    }
    const replies = (await Promise.all(changes)) as { status: number }[];
    expect(replies.every((r) => r.status < 300)).toBe(true);
    await searchIndexed(server);
    expect(await foundIds(bob, old)).toEqual([]);
    expect(await foundIds(bob, gone)).toEqual([]);
    expect((await foundIds(bob, fresh)).sort()).toEqual([...edited].sort());
  });

  it("indexes a message stored after the newest ones were deleted (SQLite then reuses their rowids)", async () => {
    server = await startServer({ dialect });
    const { alice, bob, chatId } = await pair(server.url);
    const socket = await connected(server.url, alice.cookie);
    const w = word();
    for (let i = 0; i < 3; i++) await say(socket, chatId, `old ${w} ${i}`);
    await searchIndexed(server);
    expect(await alice.api("POST", `/api/chats/${chatId}/clear`, { forEveryone: true })).toMatchObject({
      status: 204,
    });
    const fresh = await say(socket, chatId, `new ${w}`);
    await searchIndexed(server);
    expect(await foundIds(bob, w)).toEqual([fresh.id]);
    expect(await foundIds(bob, "old")).toEqual([]);
  });
});

/** Messages of the chat in the search index (SQLite: the count the mark covers). */
async function indexedCount(url: string, chatId: string): Promise<number> {
  const target = parseDatabaseUrl(url);
  if (target.dialect === "sqlite") {
    const file = new Database(target.path, { readonly: true });
    const { n } = file
      .prepare(
        "select count(*) as n from messages where chat_id = ? and rowid <= (select up_to from search_indexed)",
      )
      .get(chatId) as { n: number };
    file.close();
    return n;
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      "select count(*)::int as n from message_search where chat_id = $1",
      [chatId],
    );
    return rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}

/** Sends 30 messages at once and SIGKILLs the server right after their acks. */
async function sendThenKill(server: ServerProcess, socket: ClientSocket, chatId: string, w: string) {
  const acks = await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      send(socket, { chatId, body: `${w} number ${i}`, clientId: `k${i}` }),
    ),
  );
  // Killed at once: the indexer had no time to index the last of them.
  server.child.kill("SIGKILL");
  await server.exited;
  return acks.flatMap((ack) => (ack.ok ? [ack.message.id] : []));
}

describe.runIf(SCALE_OUT_READY)("search index when one of two nodes dies (PostgreSQL)", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(() => closeAllSockets());
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("the node that lives on indexes, within its sweep, what the SIGKILLed one acknowledged", async () => {
    const database = await createTestDatabase("postgres");
    const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), "glasschat-search-nodes-")));
    cleanups.push(database.drop, () => {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });
    const shared = {
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL as string,
      SESSION_SECRET: "search-sweep-session-secret-0123456789",
      SEARCH_SWEEP_S: "1",
    };
    const [dying, living] = await Promise.all(
      dirs.map((dir) => startServerProcess({ ...shared, DATA_DIR: dir })),
    );
    if (!dying || !living) throw new Error("two nodes");
    cleanups.push(() => {
      dying.child.kill("SIGKILL");
      living.child.kill("SIGKILL");
    });
    const { alice, bob, chatId } = await pair(dying.url);
    const socket = await connected(dying.url, alice.cookie);
    const w = word();
    const acked = await sendThenKill(dying, socket, chatId, w);
    expect(acked).toHaveLength(30);
    expect(await indexedCount(database.url, chatId)).toBeLessThan(30);

    const bobThere: TestUser = {
      ...bob,
      api: (method, path, body) => request(living.url, method, path, { body, cookie: bob.cookie }),
    };
    const began = performance.now();
    while ((await foundIds(bobThere, w)).length < 30) {
      expect(performance.now() - began).toBeLessThan(5000);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await foundIds(bobThere, w)).sort()).toEqual([...acked].sort());
  });
});

describe("SQLite search index writes", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    closeAllSockets();
    await server?.close();
    server = undefined;
  });

  it("indexes the messages of one indexing step as one FTS5 segment, not one segment each", async () => {
    server = await startServer({ dialect: "sqlite" });
    const { alice, chatId } = await pair(server.url);
    const w = word();
    const count = 1000;
    const rows = Array.from({ length: count }, (_, i) => ({
      chat_id: chatId,
      seq: i + 1,
      rev: i + 1,
      sender_id: alice.user.id,
      client_id: `bulk${i}`,
      body: `${w} bulk number ${i}`,
      created_at: Date.now(),
    }));
    await server.app.database.db.insertInto("messages").values(rows).execute();
    await searchIndexed(server);
    expect(await foundIds(alice, w)).toHaveLength(count);
    const target = parseDatabaseUrl(server.databaseUrl);
    if (target.dialect !== "sqlite") throw new Error("a SQLite server");
    const file = new Database(target.path, { readonly: true });
    // FTS5's blocks: its structure and averages records, and one small segment's pages for the
    // words and for the 3-letter prefixes (10). A segment per message (rowids out of FTS5's
    // order) left 23 even after FTS5 merged them.
    const { blocks } = file.prepare("select count(*) as blocks from message_search_data").get() as {
      blocks: number;
    };
    file.close();
    expect(blocks).toBeLessThan(16);
  });
});

describe.each(DIALECTS)("search index across a crash (%s)", (dialect) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(() => closeAllSockets());
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("catches up at restart on every message a SIGKILLed server acknowledged", async () => {
    const database = await createTestDatabase(dialect);
    const dataDir = mkdtempSync(join(tmpdir(), "glasschat-search-kill-"));
    cleanups.push(database.drop, () => rmSync(dataDir, { recursive: true, force: true }));
    const env = { DATABASE_URL: database.url, DATA_DIR: dataDir, PORT: String(await freePort()) };
    const first = await startServerProcess(env);
    cleanups.push(() => {
      first.child.kill("SIGKILL");
    });
    const { alice, bob, chatId } = await pair(first.url);
    const socket = await connected(first.url, alice.cookie);
    const w = word();
    const acked = await sendThenKill(first, socket, chatId, w);
    expect(acked).toHaveLength(30);
    // Proof that the restart has something to catch up on.
    expect(await indexedCount(database.url, chatId)).toBeLessThan(30);

    const second = await startServerProcess(env);
    cleanups.push(() => {
      second.child.kill("SIGKILL");
    });
    expect((await foundIds(bob, w)).sort()).toEqual([...acked].sort());
  });
});
