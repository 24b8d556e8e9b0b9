import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Message, MessagePage } from "../src/protocol/index.js";
import {
  clientId,
  closeAllSockets,
  collect,
  connected,
  eventually,
  nextEvent,
  pair,
  send,
  signUp,
} from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { startServer, type TestServer } from "./support/server.js";

describe.each(DIALECTS)("real-time messages (%s)", (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ dialect });
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  it("acknowledges a stored message and delivers it to every member socket except the sending one", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const aliceTab1 = await connected(server.url, alice.cookie);
    const aliceTab2 = await connected(server.url, alice.cookie);
    const bobSocket = await connected(server.url, bob.cookie);
    const tab1Got = collect(aliceTab1, "message:new");
    const toTab2 = nextEvent(aliceTab2, "message:new");
    const toBob = nextEvent(bobSocket, "message:new");

    const ack = await send(aliceTab1, { chatId, body: "hello <b>bob</b>", clientId: "c-1" });
    expect(ack).toEqual({
      ok: true,
      message: {
        id: expect.any(String),
        chatId,
        seq: 1,
        sender: { id: alice.user.id, username: alice.user.username },
        body: "hello <b>bob</b>",
        clientId: "c-1",
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        rev: 1,
        editedAt: null,
        deletedAt: null,
        replyTo: null,
        reactions: [],
        files: [],
        system: null,
      },
    });
    if (!ack.ok) return;
    expect(await toBob).toEqual(ack.message);
    expect(await toTab2).toEqual(ack.message);
    const stored = await bob.api<MessagePage>("GET", `/api/chats/${chatId}/messages`);
    expect(stored.body.messages).toEqual([ack.message]);
    expect(tab1Got).toEqual([]);
  });

  it("takes the sender from the session, never from the payload", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const aliceSocket = await connected(server.url, alice.cookie);
    const ack = await send(aliceSocket, {
      chatId,
      body: "I am bob",
      clientId: clientId(),
      sender: { id: bob.user.id, username: bob.user.username },
      senderId: bob.user.id,
    });
    expect(ack.ok && ack.message.sender.id).toBe(alice.user.id);
  });

  it("stores a retry with the same clientId once and returns the first message", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const aliceSocket = await connected(server.url, alice.cookie);
    const bobSocket = await connected(server.url, bob.cookie);
    const bobGot = collect(bobSocket, "message:new");
    const [first, concurrent] = await Promise.all([
      send(aliceSocket, { chatId, body: "once", clientId: "retry-me" }),
      send(aliceSocket, { chatId, body: "once", clientId: "retry-me" }),
    ]);
    const later = await send(aliceSocket, { chatId, body: "once (edited?)", clientId: "retry-me" });
    expect(concurrent).toEqual(first);
    expect(later).toEqual(first);
    await send(aliceSocket, { chatId, body: "marker", clientId: clientId() });
    await eventually(() => expect(bobGot.map((m) => m.body)).toEqual(["once", "marker"]));

    // Another member's message with the same clientId is a different message.
    const fromBob = await send(bobSocket, { chatId, body: "mine", clientId: "retry-me" });
    expect(fromBob.ok && fromBob.message.seq).toBe(3);
  });

  it("numbers messages 1, 2, 3… per chat under concurrent sends from both sides", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const sockets = [await connected(server.url, alice.cookie), await connected(server.url, bob.cookie)];
    const acks = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        send(sockets[i % 2]!, { chatId, body: `n${i}`, clientId: `k${i}` }),
      ),
    );
    const seqs = acks.map((a) => (a.ok ? a.message.seq : -1)).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const history = await alice.api<MessagePage>("GET", `/api/chats/${chatId}/messages?limit=100`);
    expect(history.body.messages.map((m) => m.seq)).toEqual(seqs);
  });

  it.each([
    ["a non-object payload", "just a string"],
    ["a missing body", { chatId: "c1", clientId: "x" }],
    ["an empty body", { chatId: "c1", body: "", clientId: "x" }],
    ["a whitespace-only body", { chatId: "c1", body: " \n\t ", clientId: "x" }],
    ["a body over 4000 characters", { chatId: "c1", body: "x".repeat(4001), clientId: "x" }],
    ["an empty clientId", { chatId: "c1", body: "hi", clientId: "" }],
    ["a clientId over 64 characters", { chatId: "c1", body: "hi", clientId: "x".repeat(65) }],
    ["a numeric chatId", { chatId: 5, body: "hi", clientId: "x" }],
  ])("refuses %s with invalid_input and keeps the connection", async (_name, payload) => {
    const { alice } = await pair(server.url);
    const socket = await connected(server.url, alice.cookie);
    const ack = await send(socket, payload);
    expect(ack.ok).toBe(false);
    if (!ack.ok) expect(ack.error.code).toBe("invalid_input");
    expect(socket.connected).toBe(true);
  });

  it("ignores unknown events and sends without an ack, and survives an oversized frame without harming others", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const bobSocket = await connected(server.url, bob.cookie);
    const rogue = await connected(server.url, alice.cookie);
    (rogue as unknown as { emit: (...args: unknown[]) => void }).emit("admin:drop-tables", { all: true });
    (rogue as unknown as { emit: (...args: unknown[]) => void }).emit("message:send", {
      chatId,
      body: "no ack",
      clientId: "na",
    });
    // Nobody could be told about a send without an ack: it is not stored (the next one is).
    expect((await send(rogue, { chatId, body: "acked", clientId: "a1" })).ok).toBe(true);
    const page = await bob.api<MessagePage>("GET", `/api/chats/${chatId}/messages`);
    expect(page.body.messages.map((m) => m.body)).toEqual(["acked"]);

    const dropped = new Promise<string>((resolve) => rogue.once("disconnect", resolve));
    (rogue as unknown as { emit: (...args: unknown[]) => void }).emit("message:send", {
      chatId,
      body: "x".repeat(70 * 1024),
      clientId: "big",
    });
    expect(await dropped).toBe("transport close");

    const aliceSocket = await connected(server.url, alice.cookie);
    const toBob = nextEvent(bobSocket, "message:new");
    const ack = await send(aliceSocket, { chatId, body: "still here", clientId: clientId() });
    expect(ack.ok).toBe(true);
    expect((await toBob).body).toBe("still here");
  });

  it("adds both members' sockets to a chat started after they connected", async () => {
    const alice = await signUp(server.url, "alice");
    const bob = await signUp(server.url, "bob");
    const aliceSocket = await connected(server.url, alice.cookie);
    const bobSocket = await connected(server.url, bob.cookie);
    const created = await alice.api<{ chat: { id: string } }>("POST", "/api/chats", { email: bob.email });
    const chatId = created.body.chat.id;
    const toAlice = nextEvent(aliceSocket, "message:new");
    const ack = await send(bobSocket, { chatId, body: "hi, new chat", clientId: clientId() });
    expect(ack.ok).toBe(true);
    expect((await toAlice).body).toBe("hi, new chat");
  });

  it("lets a client that missed messages catch up with after= and no duplicates", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const bobSocket = await connected(server.url, bob.cookie);
    const aliceSocket = await connected(server.url, alice.cookie);
    const first = await send(aliceSocket, { chatId, body: "before the drop", clientId: clientId() });
    bobSocket.disconnect();
    const missed: Message[] = [];
    for (const body of ["while away 1", "while away 2"]) {
      const ack = await send(aliceSocket, { chatId, body, clientId: clientId() });
      if (ack.ok) missed.push(ack.message);
    }
    if (!first.ok) throw new Error("send failed");
    const caughtUp = await bob.api<MessagePage>(
      "GET",
      `/api/chats/${chatId}/messages?after=${first.message.id}`,
    );
    expect(caughtUp.body).toEqual({ messages: missed, hasMore: false });
  });
});

describe("message rate limit", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMIT_MESSAGES_PER_10S: "3" } });
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  it("refuses sends over the per-user limit with rate_limited and stores nothing for them", async () => {
    const { alice, chatId } = await pair(server.url);
    const tab1 = await connected(server.url, alice.cookie);
    const tab2 = await connected(server.url, alice.cookie);
    const acks = [];
    for (let i = 0; i < 5; i++)
      acks.push(await send(i % 2 ? tab2 : tab1, { chatId, body: `m${i}`, clientId: `r${i}` }));
    expect(acks.map((a) => a.ok)).toEqual([true, true, true, false, false]);
    const refused = acks[3];
    expect(refused?.ok === false && refused.error.code).toBe("rate_limited");
    const page = await alice.api<MessagePage>("GET", `/api/chats/${chatId}/messages`);
    expect(page.body.messages).toHaveLength(3);
  });
});
