import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Chat, Message, MessagePage } from "../src/protocol/index.js";
import {
  clientId,
  closeAllSockets,
  connected,
  errorCode,
  eventually,
  nextEvent,
  pair,
  send,
  signUp,
} from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { startServer, type TestServer } from "./support/server.js";

describe.each(DIALECTS)("chats over HTTP (%s)", (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ dialect });
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  async function sendAs(cookie: string, chatId: string, bodies: string[]): Promise<Message[]> {
    const socket = await connected(server.url, cookie);
    const sent: Message[] = [];
    for (const body of bodies) {
      const ack = await send(socket, { chatId, body, clientId: clientId() });
      if (!ack.ok) throw new Error(ack.error.message);
      sent.push(ack.message);
    }
    socket.disconnect();
    return sent;
  }

  it("starts a direct chat by email (201), and answers 200 with the same chat when it exists", async () => {
    const alice = await signUp(server.url, "alice");
    const bob = await signUp(server.url, "bob");
    const bobSocket = await connected(server.url, bob.cookie);
    const announced = nextEvent(bobSocket, "chat:new");

    const created = await alice.api<{ chat: Chat }>("POST", "/api/chats", {
      email: ` ${bob.email.toUpperCase()} `,
    });
    expect(created.status).toBe(201);
    expect(created.body.chat).toEqual({
      id: expect.any(String),
      kind: "direct",
      title: bob.user.username,
      // Bob has a socket open, Alice (asking over HTTP) none.
      members: expect.arrayContaining(
        [
          { ...alice.user, online: false },
          { ...bob.user, online: true },
        ].map(({ id, username, online }) => ({
          id,
          username,
          role: "member",
          readSeq: null,
          online,
          lastSeenAt: null,
        })),
      ),
      lastMessage: null,
      unread: 0,
      createdAt: expect.any(String),
      cursor: expect.any(String),
    });
    expect(JSON.stringify(created.body)).not.toContain(alice.email);
    const seenByBob = await announced;
    expect(seenByBob.id).toBe(created.body.chat.id);
    expect(seenByBob.title).toBe(alice.user.username);

    const again = await bob.api<{ chat: Chat }>("POST", "/api/chats", { email: alice.email });
    expect(again.status).toBe(200);
    expect(again.body.chat.id).toBe(created.body.chat.id);
  });

  it("refuses one's own email (400), an unknown email (404 user_not_found) and a malformed one (400)", async () => {
    const alice = await signUp(server.url, "alice");
    const own = await alice.api("POST", "/api/chats", { email: alice.email });
    expect(own.status).toBe(400);
    expect(errorCode(own)).toBe("invalid_input");
    const unknown = await alice.api("POST", "/api/chats", { email: "ghost@example.com" });
    expect(unknown.status).toBe(404);
    expect(errorCode(unknown)).toBe("user_not_found");
    const malformed = await alice.api("POST", "/api/chats", { email: 42 });
    expect(malformed.status).toBe(400);
    expect((await alice.api("POST", "/api/chats")).status).toBe(400);
  });

  it("lists chats most recent first with last message and unread count, which history fetch resets", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const carol = await signUp(server.url, "carol");
    const second = await alice.api<{ chat: Chat }>("POST", "/api/chats", { email: carol.email });
    await sendAs(carol.cookie, second.body.chat.id, ["hi alice"]);
    await sendAs(bob.cookie, chatId, ["one", "two", "three"]);

    const list = await alice.api<{ chats: Chat[] }>("GET", "/api/chats");
    expect(list.body.chats.map((c) => c.id)).toEqual([chatId, second.body.chat.id]);
    expect(list.body.chats[0]?.lastMessage?.body).toBe("three");
    expect(list.body.chats[0]?.unread).toBe(3);
    expect(list.body.chats[1]?.unread).toBe(1);
    const bobList = await bob.api<{ chats: Chat[] }>("GET", "/api/chats");
    expect(bobList.body.chats[0]?.unread).toBe(0);

    await alice.api("GET", `/api/chats/${chatId}/messages`);
    const after = await alice.api<{ chats: Chat[] }>("GET", "/api/chats");
    expect(after.body.chats[0]?.unread).toBe(0);
  });

  it("marks messages read up to a seq with POST /read", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const sent = await sendAs(bob.cookie, chatId, ["a", "b", "c"]);
    expect((await alice.api("POST", `/api/chats/${chatId}/read`, { seq: sent[1]?.seq })).status).toBe(204);
    const list = await alice.api<{ chats: Chat[] }>("GET", "/api/chats");
    expect(list.body.chats[0]?.unread).toBe(1);
    expect((await alice.api("POST", `/api/chats/${chatId}/read`, { seq: -1 })).status).toBe(400);
  });

  it("pages history with before, after and limit, in send order", async () => {
    const { alice, chatId } = await pair(server.url);
    const sent = await sendAs(
      alice.cookie,
      chatId,
      Array.from({ length: 7 }, (_, i) => `m${i + 1}`),
    );
    const ids = sent.map((m) => m.id);
    expect([...ids].sort()).toEqual(ids);
    expect(sent.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);

    const page = (query: string) => alice.api<MessagePage>("GET", `/api/chats/${chatId}/messages${query}`);
    const newest = await page("?limit=3");
    expect(newest.body.messages.map((m) => m.body)).toEqual(["m5", "m6", "m7"]);
    expect(newest.body.hasMore).toBe(true);
    const older = await page(`?limit=3&before=${ids[4]}`);
    expect(older.body.messages.map((m) => m.body)).toEqual(["m2", "m3", "m4"]);
    expect(older.body.hasMore).toBe(true);
    const oldest = await page(`?limit=3&before=${ids[1]}`);
    expect(oldest.body).toEqual({ messages: [sent[0]], hasMore: false });
    const newer = await page(`?limit=2&after=${ids[2]}`);
    expect(newer.body.messages.map((m) => m.body)).toEqual(["m4", "m5"]);
    expect(newer.body.hasMore).toBe(true);
    const caughtUp = await page(`?after=${ids[6]}`);
    expect(caughtUp.body).toEqual({ messages: [], hasMore: false });
    expect((await page("")).body.messages).toHaveLength(7);
  });

  it.each([
    "?limit=0",
    "?limit=101",
    "?limit=abc",
    "?before=nonsense",
    "?after=x-0000000001",
    "?before=a&after=b",
  ])("answers 400 invalid_input for the history query %s", async (query) => {
    const { alice, chatId } = await pair(server.url);
    const reply = await alice.api("GET", `/api/chats/${chatId}/messages${query}`);
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe("invalid_input");
  });

  it("removes a chat from the caller's list only, and brings it back with chat:new when a message arrives", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    expect((await alice.api("DELETE", `/api/chats/${chatId}`)).status).toBe(204);
    expect((await alice.api<{ chats: Chat[] }>("GET", "/api/chats")).body.chats).toEqual([]);
    expect((await bob.api<{ chats: Chat[] }>("GET", "/api/chats")).body.chats).toHaveLength(1);

    const aliceSocket = await connected(server.url, alice.cookie);
    const back = nextEvent(aliceSocket, "chat:new");
    const message = nextEvent(aliceSocket, "message:new");
    await sendAs(bob.cookie, chatId, ["are you there?"]);
    const chat = await back;
    expect(chat.id).toBe(chatId);
    expect(chat.lastMessage?.body).toBe("are you there?");
    expect((await message).body).toBe("are you there?");
    expect((await alice.api<{ chats: Chat[] }>("GET", "/api/chats")).body.chats.map((c) => c.id)).toEqual([
      chatId,
    ]);
  });

  it("brings a removed chat back, in every tab, when the caller starts it again by email", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    await alice.api("DELETE", `/api/chats/${chatId}`);
    const otherTab = await connected(server.url, alice.cookie);
    const back = nextEvent(otherTab, "chat:new");
    const again = await alice.api<{ chat: Chat }>("POST", "/api/chats", { email: bob.email });
    expect(again.status).toBe(200);
    expect((await back).id).toBe(chatId);
    expect((await alice.api<{ chats: Chat[] }>("GET", "/api/chats")).body.chats.map((c) => c.id)).toEqual([
      chatId,
    ]);
  });

  it("clears history for the caller only, keeping seq counting", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    await sendAs(bob.cookie, chatId, ["old 1", "old 2"]);
    expect((await alice.api("POST", `/api/chats/${chatId}/clear`, {})).status).toBe(204);
    expect((await alice.api<MessagePage>("GET", `/api/chats/${chatId}/messages`)).body.messages).toEqual([]);
    expect((await alice.api<{ chats: Chat[] }>("GET", "/api/chats")).body.chats[0]).toMatchObject({
      lastMessage: null,
      unread: 0,
    });
    expect((await bob.api<MessagePage>("GET", `/api/chats/${chatId}/messages`)).body.messages).toHaveLength(
      2,
    );

    const [next] = await sendAs(bob.cookie, chatId, ["new"]);
    expect(next?.seq).toBe(3);
    expect(
      (await alice.api<MessagePage>("GET", `/api/chats/${chatId}/messages`)).body.messages.map((m) => m.body),
    ).toEqual(["new"]);
  });

  it("clears history for every member and tells them with chat:cleared", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    await sendAs(bob.cookie, chatId, ["secret"]);
    const bobSocket = await connected(server.url, bob.cookie);
    const cleared = nextEvent(bobSocket, "chat:cleared");
    expect((await alice.api("POST", `/api/chats/${chatId}/clear`, { forEveryone: true })).status).toBe(204);
    expect(await cleared).toEqual({ chatId, seq: 1 });
    for (const user of [alice, bob]) {
      expect((await user.api<MessagePage>("GET", `/api/chats/${chatId}/messages`)).body.messages).toEqual([]);
    }
    const [next] = await sendAs(alice.cookie, chatId, ["fresh start"]);
    expect(next?.seq).toBe(2);
    expect((await alice.api("POST", `/api/chats/${chatId}/clear`, { forEveryone: "yes" })).status).toBe(400);
  });

  it("answers a non-member exactly like a missing chat on every route", async () => {
    const { chatId } = await pair(server.url);
    const mallory = await signUp(server.url, "mallory");
    const attempts: [string, string, unknown?][] = [
      ["GET", `/api/chats/${chatId}/messages`],
      ["DELETE", `/api/chats/${chatId}`],
      ["POST", `/api/chats/${chatId}/clear`, { forEveryone: true }],
      ["POST", `/api/chats/${chatId}/read`, { seq: 1 }],
    ];
    for (const [method, path, body] of attempts) {
      const foreign = await mallory.api(method, path, body);
      const missing = await mallory.api(method, path.replace(chatId, "cnonexistent"), body);
      expect(foreign.status).toBe(404);
      expect(foreign.body).toEqual(missing.body);
      expect(errorCode(foreign)).toBe("not_found");
    }
    const socket = await connected(server.url, mallory.cookie);
    const ack = await send(socket, { chatId, body: "let me in", clientId: clientId() });
    expect(ack).toEqual({ ok: false, error: { code: "not_found", message: "No such chat." } });
  });

  it("requires a session on every chat route", async () => {
    const { chatId, alice } = await pair(server.url);
    for (const [method, path] of [
      ["GET", "/api/chats"],
      ["POST", "/api/chats"],
      ["DELETE", `/api/chats/${chatId}`],
      ["POST", `/api/chats/${chatId}/clear`],
      ["GET", `/api/chats/${chatId}/messages`],
    ] as const) {
      const reply = await fetch(server.url + path, { method });
      expect(reply.status, `${method} ${path}`).toBe(401);
    }
    await eventually(async () => expect((await alice.api("GET", "/api/chats")).status).toBe(200));
  });
});
