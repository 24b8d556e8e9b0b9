import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ChangesPage, Message, MessagePage } from "../src/protocol/index.js";
import { parseDatabaseUrl } from "../src/server/config.js";
import { encodeCursor } from "../src/server/domain/changes-cursor.js";
import {
  type ClientSocket,
  clientId,
  closeAllSockets,
  connected,
  pair,
  send,
  type TestUser,
} from "./support/client.js";
import { DIALECTS, type Dialect } from "./support/databases.js";
import { startServer, type TestServer } from "./support/server.js";

/*
 * Since migration 014 the changes feed's index holds only messages changed after they were
 * stored; unchanged ones are found by seq (storage/changes.repository.ts). These tests check the
 * feed against history (another read path) from every cursor of chats long enough for that search
 * to take several steps.
 */
describe.each(DIALECTS)("changes feed over its index of changed messages (%s)", (dialect: Dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ dialect });
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  /** A statement on the server's database, from a connection of the test's own. */
  async function query<T>(text: string, params: unknown[] = []): Promise<T[]> {
    const url = parseDatabaseUrl(server.databaseUrl);
    if (url.dialect === "sqlite") {
      const db = new Database(url.path);
      try {
        const statement = db.prepare(text.replace(/\$\d+/g, "?"));
        if (statement.reader) return statement.all(...params) as T[];
        statement.run(...params);
        return [];
      } finally {
        db.close();
      }
    }
    const client = new pg.Client({ connectionString: server.databaseUrl });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** How many entries the changes feed's index holds (all chats). */
  async function changesIndexEntries(): Promise<number> {
    if (dialect === "sqlite") {
      const [row] = await query<{ n: number }>(
        "select coalesce(sum(ncell), 0) as n from dbstat where name = 'messages_changes' and pagetype = 'leaf'",
      );
      return Number(row?.n);
    }
    // VACUUM counts the index's tuples exactly (pg_class.reltuples).
    await query("vacuum messages");
    const [row] = await query<{ n: number }>(
      "select reltuples as n from pg_class where relname = 'messages_changes'",
    );
    return Number(row?.n);
  }

  async function say(socket: ClientSocket, chatId: string, body: string): Promise<Message> {
    const ack = await send(socket, { chatId, body, clientId: clientId() });
    if (!ack.ok) throw new Error(ack.error.code);
    return ack.message;
  }
  const path = (chatId: string, id: string) => `/api/chats/${chatId}/messages/${id}`;

  /** Every message of the chat in its current state, from history pages (newest first). */
  async function history(user: TestUser, chatId: string): Promise<Message[]> {
    const all: Message[] = [];
    let before = "";
    for (;;) {
      const page = await user.api<MessagePage>(
        "GET",
        `/api/chats/${chatId}/messages?limit=100${before ? `&before=${before}` : ""}`,
      );
      expect(page.status).toBe(200);
      all.unshift(...page.body.messages);
      if (!page.body.hasMore || page.body.messages.length === 0) return all;
      before = page.body.messages[0]?.id ?? "";
    }
  }

  /**
   * A chat of `count` messages where, every few sends, an older message is edited, reacted to or
   * deleted for everyone: runs of unchanged messages between changed ones, and revs ahead of seqs.
   */
  async function busyChat(count: number, reactEvery = 11) {
    const { alice, bob, chatId } = await pair(server.url);
    const socket = await connected(server.url, alice.cookie);
    const sent: Message[] = [];
    for (let i = 1; i <= count; i++) {
      sent.push(await say(socket, chatId, `m${i}`));
      const older = (back: number) => sent[sent.length - 1 - back]?.id;
      if (i % 7 === 0) await alice.api("PATCH", path(chatId, older(4) ?? ""), { body: `edited ${i}` });
      if (i % reactEvery === 0)
        await bob.api("PUT", `${path(chatId, older(9) ?? "")}/reactions/${encodeURIComponent("👍")}`);
      if (i % 29 === 0) await alice.api("DELETE", `${path(chatId, older(2) ?? "")}?for=everyone`);
    }
    return { alice, bob, chatId };
  }

  /** From every rev of the chat, the feed's first page is what history says changed after it. */
  async function expectEveryCursorAgreesWithHistory(user: TestUser, chatId: string) {
    const truth = (await history(user, chatId)).sort((a, b) => a.rev - b.rev);
    const lastRev = truth.at(-1)?.rev ?? 0;
    const limit = 5;
    for (let rev = 0; rev <= lastRev; rev++) {
      const cursor = encodeCursor({ rev, pos: 0, floor: 0 });
      const page = await user.api<ChangesPage>(
        "GET",
        `/api/chats/${chatId}/changes?cursor=${cursor}&limit=${limit}`,
      );
      expect(page.status).toBe(200);
      const expected = truth.filter((m) => m.rev > rev);
      expect({ rev, ids: page.body.messages.map((m) => m.id), hasMore: page.body.hasMore }).toEqual({
        rev,
        ids: expected.slice(0, limit).map((m) => m.id),
        hasMore: expected.length > limit,
      });
      expect(page.body.messages).toEqual(expected.slice(0, limit));
    }
  }

  it("stores a new message without an entry in the changes index, and adds one when it changes", async () => {
    const before = await changesIndexEntries();
    const { alice, bob, chatId } = await pair(server.url);
    const socket = await connected(server.url, alice.cookie);
    const sent: Message[] = [];
    for (let i = 0; i < 40; i++) sent.push(await say(socket, chatId, `m${i}`));
    expect(await changesIndexEntries()).toBe(before);

    await alice.api("PATCH", path(chatId, sent[3]?.id ?? ""), { body: "edited" });
    await bob.api("PUT", `${path(chatId, sent[10]?.id ?? "")}/reactions/${encodeURIComponent("🎉")}`);
    await alice.api("DELETE", `${path(chatId, sent[20]?.id ?? "")}?for=everyone`);
    expect(await changesIndexEntries()).toBe(before + 3);
  });

  it("answers every cursor with what changed after it, in rev order, across long runs of unchanged messages", async () => {
    const { bob, chatId } = await busyChat(150);
    await expectEveryCursorAgreesWithHistory(bob, chatId);
  });

  it("finds where unchanged messages start by probes when many changes put revs far ahead of seqs", async () => {
    // About 100 changes: more than the span the feed scans without probing (SCAN_SPAN).
    const { bob, chatId } = await busyChat(120, 2);
    await expectEveryCursorAgreesWithHistory(bob, chatId);
  });

  it("reads messages stored before migration 014 (no creation rev) as before, next to newer ones", async () => {
    const { bob, chatId } = await busyChat(90);
    await query("update messages set created_rev = null where chat_id = $1 and seq <= $2", [chatId, 60]);
    await expectEveryCursorAgreesWithHistory(bob, chatId);
  });
});
