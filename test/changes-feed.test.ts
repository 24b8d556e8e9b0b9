import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ChangesPage, Chat, Message, MessagePage } from "../src/protocol/index.js";
import {
  type ClientSocket,
  clientId,
  closeAllSockets,
  connected,
  errorCode,
  pair,
  send,
  signUp,
  type TestUser,
} from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { startServer, type TestServer } from "./support/server.js";

describe.each(DIALECTS)("changes feed (%s)", (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ dialect });
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  async function say(socket: ClientSocket, chatId: string, body: string): Promise<Message> {
    const ack = await send(socket, { chatId, body, clientId: clientId() });
    if (!ack.ok) throw new Error(ack.error.code);
    return ack.message;
  }
  const feed = (user: TestUser, chatId: string, query = "") =>
    user.api<ChangesPage>("GET", `/api/chats/${chatId}/changes${query}`);
  const cursorOf = async (user: TestUser, chatId: string) =>
    (await user.api<{ chats: Chat[] }>("GET", "/api/chats")).body.chats.find((c) => c.id === chatId)
      ?.cursor ?? "";
  const path = (chatId: string, messageId: string) => `/api/chats/${chatId}/messages/${messageId}`;

  /** Replays the feed from `cursor` to its end, `limit` at a time, onto `state`. */
  async function replay(
    user: TestUser,
    chatId: string,
    cursor: string | undefined,
    state: Map<string, Message>,
    limit = 100,
  ) {
    let next = cursor;
    const pages: ChangesPage[] = [];
    for (;;) {
      const query = new URLSearchParams({ limit: String(limit), ...(next ? { cursor: next } : {}) });
      const reply = await feed(user, chatId, `?${query}`);
      expect(reply.status).toBe(200);
      pages.push(reply.body);
      for (const m of reply.body.messages) {
        const held = state.get(m.id);
        if (!held || held.rev < m.rev) state.set(m.id, m);
      }
      for (const id of reply.body.hiddenIds) state.delete(id);
      next = reply.body.cursor;
      if (!reply.body.hasMore) return { cursor: next, pages };
    }
  }
  const sorted = (state: Map<string, Message>) => [...state.values()].sort((a, b) => a.seq - b.seq);

  it("syncs in full without a cursor, in rev order, and is exclusive of its cursor", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const socket = await connected(server.url, alice.cookie);
    const [a, b, c] = [
      await say(socket, chatId, "a"),
      await say(socket, chatId, "b"),
      await say(socket, chatId, "c"),
    ];
    await alice.api("PATCH", path(chatId, a.id), { body: "a2" });
    const full = await feed(bob, chatId);
    expect(full.status).toBe(200);
    expect(full.body.messages.map((m) => m.id)).toEqual([b.id, c.id, a.id]);
    expect(full.body.messages.map((m) => m.rev)).toEqual(
      [...full.body.messages.map((m) => m.rev)].sort((x, y) => x - y),
    );
    expect(full.body).toMatchObject({ hiddenIds: [], hasMore: false });
    const again = await feed(bob, chatId, `?cursor=${full.body.cursor}`);
    expect(again.body).toEqual({ messages: [], hiddenIds: [], cursor: full.body.cursor, hasMore: false });
    // The chat's own cursor stands at the same place.
    expect(await cursorOf(bob, chatId)).toBe(full.body.cursor);
  });

  it("pages with limit and hasMore, and a replay from an old cursor ends at the server's state", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const socket = await connected(server.url, alice.cookie);
    const start = await cursorOf(bob, chatId);
    const sent: Message[] = [];
    for (let i = 0; i < 7; i++) sent.push(await say(socket, chatId, `m${i}`));
    await alice.api("PATCH", path(chatId, sent[1]?.id ?? ""), { body: "edited" });
    await alice.api("DELETE", `${path(chatId, sent[2]?.id ?? "")}?for=everyone`);
    await bob.api("PUT", `${path(chatId, sent[3]?.id ?? "")}/reactions/${encodeURIComponent("🎉")}`);
    await bob.api("DELETE", `${path(chatId, sent[4]?.id ?? "")}?for=me`);

    const state = new Map<string, Message>();
    const { pages } = await replay(bob, chatId, start, state, 2);
    expect(pages.length).toBe(3);
    const history = (await bob.api<MessagePage>("GET", `/api/chats/${chatId}/messages`)).body.messages;
    expect(sorted(state)).toEqual(history);
    expect(history.find((m) => m.id === sent[2]?.id)?.deletedAt).not.toBeNull();
    expect(pages.flatMap((p) => p.hiddenIds)).toEqual([sent[4]?.id]);
  });

  it("tells a member to drop what they cleared for themselves, and what anyone cleared for everyone", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const socket = await connected(server.url, alice.cookie);
    const first = [
      await say(socket, chatId, "1"),
      await say(socket, chatId, "2"),
      await say(socket, chatId, "3"),
    ];
    const bobCursor = await cursorOf(bob, chatId);
    const aliceCursor = await cursorOf(alice, chatId);
    await bob.api("POST", `/api/chats/${chatId}/clear`, {});
    const after = await say(socket, chatId, "4");

    const bobState = new Map(first.map((m) => [m.id, m]));
    const { pages } = await replay(bob, chatId, bobCursor, bobState, 2);
    expect(sorted(bobState).map((m) => m.id)).toEqual([after.id]);
    expect(pages.flatMap((p) => p.hiddenIds)).toEqual(first.map((m) => m.id));
    // Alice learns nothing of Bob's clear.
    const aliceFeed = await feed(alice, chatId, `?cursor=${aliceCursor}`);
    expect(aliceFeed.body.hiddenIds).toEqual([]);
    expect(aliceFeed.body.messages.map((m) => m.id)).toEqual([after.id]);

    await alice.api("POST", `/api/chats/${chatId}/clear`, { forEveryone: true });
    const aliceState = new Map([...first, after].map((m) => [m.id, m]));
    await replay(alice, chatId, aliceCursor, aliceState);
    expect(aliceState.size).toBe(0);
  });

  it("never shows one member what another did only for themselves", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const socket = await connected(server.url, alice.cookie);
    const one = await say(socket, chatId, "one");
    await say(socket, chatId, "two");
    const before = await feed(bob, chatId);
    const bobCursor = await cursorOf(bob, chatId);

    await alice.api("DELETE", `${path(chatId, one.id)}?for=me`);
    await alice.api("POST", `/api/chats/${chatId}/clear`, {});
    await alice.api("POST", `/api/chats/${chatId}/read`, { seq: 2 });
    await alice.api("DELETE", `/api/chats/${chatId}`);

    expect(await feed(bob, chatId)).toMatchObject({ body: before.body });
    expect(await cursorOf(bob, chatId)).toBe(bobCursor);
    const since = await feed(bob, chatId, `?cursor=${bobCursor}`);
    expect(since.body).toEqual({ messages: [], hiddenIds: [], cursor: bobCursor, hasMore: false });
    // A message Bob reads next has the rev right after the last one he saw: no gap betrays anything.
    const three = await say(socket, chatId, "three");
    expect(three.rev).toBe(Math.max(...before.body.messages.map((m) => m.rev)) + 1);
  });

  it("answers 400 for a malformed cursor or limit and 404 for a non-member", async () => {
    const { alice, chatId } = await pair(server.url);
    for (const query of [
      "?cursor=nope",
      "?cursor=f1.1.2",
      "?cursor=f1.-1.0.0",
      "?cursor=f1.zzzzzzzzzzzz.0.0",
      "?limit=0",
      "?limit=501",
      "?limit=x",
    ]) {
      const reply = await feed(alice, chatId, query);
      expect([query, reply.status, errorCode(reply)]).toEqual([query, 400, "invalid_input"]);
    }
    expect((await feed(alice, chatId, "?limit=500")).status).toBe(200);
    const stranger = await signUp(server.url, "eve");
    const reply = await feed(stranger, chatId);
    expect([reply.status, errorCode(reply)]).toEqual([404, "not_found"]);
    expect((await feed(stranger, "cnothing")).status).toBe(404);
  });
});
