import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Chat, Message, MessagePage } from "../src/protocol/index.js";
import {
  type ClientSocket,
  clientId,
  closeAllSockets,
  collect,
  connected,
  errorCode,
  eventually,
  nextEvent,
  pair,
  send,
  signUp,
  type TestUser,
} from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { startServer, type TestServer } from "./support/server.js";

const HOUR = 3600_000;

describe.each(DIALECTS)("edit, delete, reply and react (%s)", (dialect) => {
  let server: TestServer;
  // The server's clock: the windows are tested by moving it, not by waiting.
  let clock = Date.parse("2026-12-01T09:00:00.000Z");
  beforeAll(async () => {
    server = await startServer({ dialect, now: () => clock });
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  async function say(socket: ClientSocket, chatId: string, body: string, replyTo?: string): Promise<Message> {
    const ack = await send(socket, { chatId, body, clientId: clientId(), ...(replyTo ? { replyTo } : {}) });
    if (!ack.ok) throw new Error(ack.error.code);
    return ack.message;
  }
  const messagesOf = async (user: TestUser, chatId: string) =>
    (await user.api<MessagePage>("GET", `/api/chats/${chatId}/messages`)).body.messages;
  const chatOf = async (user: TestUser, chatId: string) =>
    (await user.api<{ chats: Chat[] }>("GET", "/api/chats")).body.chats.find((c) => c.id === chatId);
  const path = (chatId: string, messageId: string) => `/api/chats/${chatId}/messages/${messageId}`;
  const reactionPath = (chatId: string, messageId: string, emoji: string) =>
    `${path(chatId, messageId)}/reactions/${encodeURIComponent(emoji)}`;

  it("edits the sender's message inside the window and tells every socket, the sender's other tabs included", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const aliceTab1 = await connected(server.url, alice.cookie);
    const aliceTab2 = await connected(server.url, alice.cookie);
    const bobSocket = await connected(server.url, bob.cookie);
    const original = await say(aliceTab1, chatId, "helo");
    const toBob = nextEvent(bobSocket, "message:updated");
    const toTab2 = nextEvent(aliceTab2, "message:updated");

    clock += 23 * HOUR;
    const edited = await alice.api<{ message: Message }>("PATCH", path(chatId, original.id), {
      body: "hello",
    });
    expect(edited.status).toBe(200);
    expect(edited.body.message).toMatchObject({
      id: original.id,
      seq: original.seq,
      body: "hello",
      editedAt: new Date(clock).toISOString(),
      deletedAt: null,
    });
    expect(edited.body.message.rev).toBeGreaterThan(original.rev);
    expect(await toBob).toEqual(edited.body.message);
    expect(await toTab2).toEqual(edited.body.message);
    expect(await messagesOf(bob, chatId)).toEqual([edited.body.message]);

    clock += 1 * HOUR + 1000;
    const late = await alice.api("PATCH", path(chatId, original.id), { body: "too late" });
    expect(late.status).toBe(403);
    expect(errorCode(late)).toBe("forbidden");
  });

  it("refuses to edit someone else's message, a tombstone, or with an invalid body", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const aliceSocket = await connected(server.url, alice.cookie);
    const message = await say(aliceSocket, chatId, "mine");
    const byBob = await bob.api("PATCH", path(chatId, message.id), { body: "yours now" });
    expect([byBob.status, errorCode(byBob)]).toEqual([403, "forbidden"]);
    expect((await alice.api("PATCH", path(chatId, message.id), { body: "   " })).status).toBe(400);
    expect((await alice.api("PATCH", path(chatId, message.id), {})).status).toBe(400);
    expect((await alice.api("DELETE", `${path(chatId, message.id)}?for=everyone`)).status).toBe(204);
    const tombstone = await alice.api("PATCH", path(chatId, message.id), { body: "back" });
    expect([tombstone.status, errorCode(tombstone)]).toEqual([403, "forbidden"]);
  });

  it("deletes for everyone as a tombstone: in history, the chat list preview, replies, and never unread", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const aliceSocket = await connected(server.url, alice.cookie);
    const bobSocket = await connected(server.url, bob.cookie);
    const original = await say(aliceSocket, chatId, "oops, wrong chat");
    const reply = await say(bobSocket, chatId, "what?", original.id);
    expect(reply.replyTo).toEqual({
      id: original.id,
      seq: original.seq,
      sender: original.sender,
      excerpt: "oops, wrong chat",
      deleted: false,
    });
    const last = await say(aliceSocket, chatId, "sorry");
    const updates = collect(bobSocket, "message:updated");

    clock += HOUR - 1000;
    expect((await alice.api("DELETE", `${path(chatId, original.id)}?for=everyone`)).status).toBe(204);
    // Again: a retry, nothing changes.
    expect((await alice.api("DELETE", `${path(chatId, original.id)}?for=everyone`)).status).toBe(204);

    const history = await messagesOf(bob, chatId);
    expect(history[0]).toMatchObject({
      id: original.id,
      seq: original.seq,
      body: "",
      deletedAt: new Date(clock).toISOString(),
      replyTo: null,
      reactions: [],
      files: [],
    });
    expect(history[1]?.replyTo).toEqual({ ...reply.replyTo, excerpt: "", deleted: true });
    expect(history[1]?.rev).toBeGreaterThan(reply.rev);
    await eventually(() => expect(updates.map((m) => m.id)).toEqual([original.id, reply.id]));
    expect(updates[0]?.deletedAt).not.toBeNull();

    // The newest message becomes a tombstone: the preview shows it, unread does not count it.
    expect((await alice.api("DELETE", `${path(chatId, last.id)}?for=everyone`)).status).toBe(204);
    const chat = await chatOf(bob, chatId);
    expect(chat?.lastMessage).toMatchObject({ id: last.id, body: "", deletedAt: expect.any(String) });
    const carolView = await chatOf(bob, chatId);
    expect(carolView?.unread).toBe(0);
  });

  it("lets a sender delete for everyone only inside MESSAGE_DELETE_WINDOW_S, and never someone else's in a direct chat", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const aliceSocket = await connected(server.url, alice.cookie);
    const message = await say(aliceSocket, chatId, "permanent");
    const byBob = await bob.api("DELETE", `${path(chatId, message.id)}?for=everyone`);
    expect([byBob.status, errorCode(byBob)]).toEqual([403, "forbidden"]);
    clock += HOUR + 1000;
    const late = await alice.api("DELETE", `${path(chatId, message.id)}?for=everyone`);
    expect([late.status, errorCode(late)]).toEqual([403, "forbidden"]);
    expect((await alice.api("DELETE", path(chatId, message.id))).status).toBe(400);
    expect((await alice.api("DELETE", `${path(chatId, message.id)}?for=all`)).status).toBe(400);
  });

  it("deletes for me: gone from the caller's history, unread and preview, told to their own sockets only", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const aliceSocket = await connected(server.url, alice.cookie);
    const bobTab1 = await connected(server.url, bob.cookie);
    const bobTab2 = await connected(server.url, bob.cookie);
    const first = await say(aliceSocket, chatId, "keep");
    const second = await say(aliceSocket, chatId, "hide me");
    const hiddenOnTab2 = nextEvent(bobTab2, "message:hidden");
    const hiddenOnTab1 = nextEvent(bobTab1, "message:hidden");
    const aliceHears = collect(aliceSocket, "message:hidden");
    const aliceUpdates = collect(aliceSocket, "message:updated");

    expect((await bob.api("DELETE", `${path(chatId, second.id)}?for=me`)).status).toBe(204);
    expect(await hiddenOnTab2).toEqual({ chatId, messageId: second.id });
    expect(await hiddenOnTab1).toEqual({ chatId, messageId: second.id });
    // Idempotent.
    expect((await bob.api("DELETE", `${path(chatId, second.id)}?for=me`)).status).toBe(204);

    expect((await chatOf(bob, chatId))?.unread).toBe(1);
    expect((await chatOf(bob, chatId))?.lastMessage?.id).toBe(first.id);
    expect((await messagesOf(bob, chatId)).map((m) => m.id)).toEqual([first.id]);
    expect((await messagesOf(alice, chatId)).map((m) => m.id)).toEqual([first.id, second.id]);

    // A message hidden for the sender is not one they can answer, edit or react to.
    const replyToHidden = await send(bobTab1, {
      chatId,
      body: "re",
      clientId: clientId(),
      replyTo: second.id,
    });
    expect(replyToHidden.ok ? "ok" : replyToHidden.error.code).toBe("invalid_input");
    expect((await bob.api("PUT", reactionPath(chatId, second.id, "👍"))).status).toBe(404);
    expect(aliceHears).toEqual([]);
    expect(aliceUpdates).toEqual([]);
  });

  it("checks replyTo: a visible message of the same chat, else invalid_input and nothing stored", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const carol = await signUp(server.url, "carol");
    const other = await alice.api<{ chat: Chat }>("POST", "/api/chats", { email: carol.email });
    const aliceSocket = await connected(server.url, alice.cookie);
    const inOther = await say(aliceSocket, other.body.chat.id, "elsewhere");
    const base = await say(aliceSocket, chatId, "x".repeat(250));
    for (const replyTo of [inOther.id, `${chatId}-0000000099`, "nonsense", ""]) {
      const ack = await send(aliceSocket, { chatId, body: "re", clientId: clientId(), replyTo });
      expect(ack.ok ? "ok" : ack.error.code).toBe("invalid_input");
    }
    const reply = await say(aliceSocket, chatId, "long one", base.id);
    expect(reply.replyTo?.excerpt).toBe("x".repeat(200));
    expect((await messagesOf(bob, chatId)).map((m) => m.seq)).toEqual([base.seq, reply.seq]);
    expect(reply.seq).toBe(base.seq + 1);

    // Editing the replied message gives the reply a new rev and the new excerpt.
    const bobSocket = await connected(server.url, bob.cookie);
    const updates = collect(bobSocket, "message:updated");
    await alice.api("PATCH", path(chatId, base.id), { body: "short" });
    await eventually(() => expect(updates.map((m) => m.id)).toEqual([base.id, reply.id]));
    expect(updates[1]?.replyTo?.excerpt).toBe("short");
  });

  it("reacts idempotently, keeps first-use order, takes reactions back, and caps distinct emoji at 20", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const aliceSocket = await connected(server.url, alice.cookie);
    const bobSocket = await connected(server.url, bob.cookie);
    const message = await say(aliceSocket, chatId, "react to me");
    const updates = collect(aliceSocket, "message:updated");

    const first = await bob.api<{ message: Message }>("PUT", reactionPath(chatId, message.id, "👍🏽"));
    expect(first.status).toBe(200);
    expect(first.body.message.reactions).toEqual([{ emoji: "👍🏽", userIds: [bob.user.id] }]);
    const again = await bob.api<{ message: Message }>("PUT", reactionPath(chatId, message.id, "👍🏽"));
    expect(again.body.message).toEqual(first.body.message);
    await alice.api("PUT", reactionPath(chatId, message.id, "❤️"));
    const both = await alice.api<{ message: Message }>("PUT", reactionPath(chatId, message.id, "👍🏽"));
    expect(both.body.message.reactions).toEqual([
      { emoji: "👍🏽", userIds: [bob.user.id, alice.user.id] },
      { emoji: "❤️", userIds: [alice.user.id] },
    ]);
    await eventually(() => expect(updates).toHaveLength(3));
    expect(updates.at(-1)).toEqual(both.body.message);

    const none = await bob.api<{ message: Message }>("DELETE", reactionPath(chatId, message.id, "🎉"));
    expect(none.status).toBe(200);
    expect(none.body.message.rev).toBe(both.body.message.rev);
    const taken = await bob.api<{ message: Message }>("DELETE", reactionPath(chatId, message.id, "👍🏽"));
    expect(taken.body.message.reactions[0]).toEqual({ emoji: "👍🏽", userIds: [alice.user.id] });

    for (let i = 0; i < 18; i++) {
      expect(
        (await bob.api("PUT", reactionPath(chatId, message.id, String.fromCodePoint(0x1f600 + i)))).status,
      ).toBe(200);
    }
    const full = await bob.api("PUT", reactionPath(chatId, message.id, "🚀"));
    expect([full.status, errorCode(full)]).toEqual([400, "invalid_input"]);
    // An emoji already there still takes one more person.
    expect((await bob.api("PUT", reactionPath(chatId, message.id, "❤️"))).status).toBe(200);
    expect((await bob.api("PUT", reactionPath(chatId, message.id, "x".repeat(33)))).status).toBe(400);
    expect((await bob.api("PUT", reactionPath(chatId, message.id, " "))).status).toBe(400);

    expect((await alice.api("DELETE", `${path(chatId, message.id)}?for=everyone`)).status).toBe(204);
    const onTombstone = await bob.api("PUT", reactionPath(chatId, message.id, "👍🏽"));
    expect([onTombstone.status, errorCode(onTombstone)]).toEqual([403, "forbidden"]);
    void bobSocket;
  });

  it("never counts system messages or tombstones as unread, and refuses to edit or delete a system message", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const aliceSocket = await connected(server.url, alice.cookie);
    const gone = await say(aliceSocket, chatId, "soon gone");
    await alice.api("DELETE", `${path(chatId, gone.id)}?for=everyone`);
    // A system message as group management writes it (the chat's next seq and rev).
    const db = server.app.database.db;
    const seq = await db.transaction().execute(async (trx) => {
      const chat = await trx
        .updateTable("chats")
        .set((eb) => ({ last_seq: eb("last_seq", "+", 1), last_rev: eb("last_rev", "+", 1) }))
        .where("id", "=", chatId)
        .returning(["last_seq", "last_rev"])
        .executeTakeFirstOrThrow();
      await trx
        .insertInto("messages")
        .values({
          chat_id: chatId,
          seq: chat.last_seq,
          rev: chat.last_rev,
          sender_id: alice.user.id,
          client_id: "system-1",
          body: "",
          created_at: clock,
          system: JSON.stringify({ event: "title_changed", userIds: [], title: "Climbing" }),
        })
        .execute();
      return chat.last_seq;
    });
    const chat = await chatOf(bob, chatId);
    expect(chat?.unread).toBe(0);
    expect(chat?.lastMessage).toMatchObject({
      seq,
      body: "",
      system: { event: "title_changed", userIds: [], title: "Climbing" },
    });
    const systemId = chat?.lastMessage?.id ?? "";
    const edit = await alice.api("PATCH", path(chatId, systemId), { body: "x" });
    expect([edit.status, errorCode(edit)]).toEqual([403, "forbidden"]);
    expect((await alice.api("DELETE", `${path(chatId, systemId)}?for=everyone`)).status).toBe(403);
    await say(aliceSocket, chatId, "counted");
    expect((await chatOf(bob, chatId))?.unread).toBe(1);
  });

  it("answers 404 for a non-member, a message of another chat and an unknown message", async () => {
    const { alice, chatId } = await pair(server.url);
    const stranger = await signUp(server.url, "mallory");
    const aliceSocket = await connected(server.url, alice.cookie);
    const message = await say(aliceSocket, chatId, "private");
    for (const [method, url, body] of [
      ["PATCH", path(chatId, message.id), { body: "x" }],
      ["DELETE", `${path(chatId, message.id)}?for=me`, undefined],
      ["DELETE", `${path(chatId, message.id)}?for=everyone`, undefined],
      ["PUT", reactionPath(chatId, message.id, "👍"), undefined],
      ["DELETE", reactionPath(chatId, message.id, "👍"), undefined],
    ] as const) {
      const reply = await stranger.api(method, url, body);
      expect([method, url, reply.status, errorCode(reply)]).toEqual([method, url, 404, "not_found"]);
    }
    for (const id of [`${chatId}-0000000042`, "cother-0000000001", "junk"]) {
      expect((await alice.api("PATCH", path(chatId, id), { body: "x" })).status).toBe(404);
    }
  });

  it("tells the caller's other tabs about their own view changes: clear for me up to a seq, read, remove", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const aliceSocket = await connected(server.url, alice.cookie);
    const bobTab2 = await connected(server.url, bob.cookie);
    await say(aliceSocket, chatId, "one");
    const two = await say(aliceSocket, chatId, "two");

    const read = nextEvent(bobTab2, "chat:updated");
    await bob.api("GET", `/api/chats/${chatId}/messages`);
    expect(await read).toMatchObject({ id: chatId, unread: 0 });

    const cleared = nextEvent(bobTab2, "chat:cleared");
    const view = nextEvent(bobTab2, "chat:updated");
    const aliceCleared = collect(aliceSocket, "chat:cleared");
    expect((await bob.api("POST", `/api/chats/${chatId}/clear`, {})).status).toBe(204);
    expect(await cleared).toEqual({ chatId, seq: two.seq });
    expect(await view).toMatchObject({ id: chatId, lastMessage: null, unread: 0 });

    const removed = nextEvent(bobTab2, "chat:updated");
    expect((await bob.api("DELETE", `/api/chats/${chatId}`)).status).toBe(204);
    expect(await removed).toMatchObject({ id: chatId, removed: true });
    expect(aliceCleared).toEqual([]);
  });
});
