import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Message, SearchPage } from "../src/protocol/index.js";
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
import { searchIndexed } from "./support/search.js";
import { startServer, type TestServer } from "./support/server.js";

/** A word no other test uses, so each rule is checked on its own messages. */
const word = () =>
  `w${Array.from({ length: 8 }, () => "abcdefghijklmnopqrstuvwxyz"[Math.floor(Math.random() * 26)]).join("")}`;

describe.each(DIALECTS)("search visibility: each rule, the other member as control (%s)", (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ dialect });
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  async function say(socket: ClientSocket, chatId: string, body: string): Promise<Message> {
    const ack = await send(socket, { chatId, body, clientId: clientId() });
    if (!ack.ok) throw new Error(ack.error.code);
    await searchIndexed(server);
    return ack.message;
  }
  const found = async (user: TestUser, q: string, chatId?: string) => {
    const params = new URLSearchParams({ q, ...(chatId ? { chatId } : {}) });
    const reply = await user.api<SearchPage>("GET", `/api/search?${params}`);
    expect(reply.status).toBe(200);
    return reply.body.results.map((r) => r.message.id);
  };

  async function direct() {
    const { alice, bob, chatId } = await pair(server.url);
    return { alice, bob, chatId, socket: await connected(server.url, alice.cookie) };
  }

  it("finds a message for both members, and never for someone outside", async () => {
    const { alice, bob, chatId, socket } = await direct();
    const dave = await signUp(server.url, "dave");
    const w = word();
    const message = await say(socket, chatId, `hello ${w}`);
    expect(await found(alice, w)).toEqual([message.id]);
    expect(await found(bob, w)).toEqual([message.id]);
    expect(await found(dave, w)).toEqual([]);
    expect(errorCode(await dave.api("GET", `/api/search?q=${w}&chatId=${chatId}`))).toBe("not_found");
  });

  it("hides what the caller cleared, not what the other member still has", async () => {
    const { alice, bob, chatId, socket } = await direct();
    const w = word();
    const before = await say(socket, chatId, `${w} before`);
    expect((await bob.api("POST", `/api/chats/${chatId}/clear`, {})).status).toBe(204);
    const after = await say(socket, chatId, `${w} after`);
    expect(await found(bob, w)).toEqual([after.id]);
    expect(await found(alice, w)).toEqual([after.id, before.id]);
  });

  it("hides a message hidden for the caller only", async () => {
    const { alice, bob, chatId, socket } = await direct();
    const w = word();
    const message = await say(socket, chatId, `${w} hidden`);
    expect((await bob.api("DELETE", `/api/chats/${chatId}/messages/${message.id}?for=me`)).status).toBe(204);
    expect(await found(bob, w)).toEqual([]);
    expect(await found(alice, w)).toEqual([message.id]);
  });

  it("finds nothing of a message deleted for everyone, nor of a chat cleared for everyone", async () => {
    const { alice, bob, chatId, socket } = await direct();
    const w = word();
    const message = await say(socket, chatId, `${w} gone`);
    const other = await say(socket, chatId, `${w} stays`);
    expect(
      (await alice.api("DELETE", `/api/chats/${chatId}/messages/${message.id}?for=everyone`)).status,
    ).toBe(204);
    expect(await found(alice, w)).toEqual([other.id]);
    expect(await found(bob, w)).toEqual([other.id]);
    expect((await alice.api("POST", `/api/chats/${chatId}/clear`, { forEveryone: true })).status).toBe(204);
    expect(await found(alice, w)).toEqual([]);
    expect(await found(bob, w)).toEqual([]);
  });

  it("finds an edited message by its new text only", async () => {
    const { alice, bob, chatId, socket } = await direct();
    const [old, fresh] = [word(), word()];
    const message = await say(socket, chatId, `${old} text`);
    expect(
      (await alice.api("PATCH", `/api/chats/${chatId}/messages/${message.id}`, { body: `${fresh} text` }))
        .status,
    ).toBe(200);
    for (const user of [alice, bob]) {
      expect(await found(user, old)).toEqual([]);
      expect(await found(user, fresh)).toEqual([message.id]);
    }
  });

  it("still searches a chat the caller removed from their list", async () => {
    const { alice, bob, chatId, socket } = await direct();
    const w = word();
    const message = await say(socket, chatId, `${w} kept`);
    expect((await bob.api("DELETE", `/api/chats/${chatId}`)).status).toBe(204);
    expect(await found(bob, w)).toEqual([message.id]);
    expect(await found(bob, w, chatId)).toEqual([message.id]);
    expect(await found(alice, w)).toEqual([message.id]);
  });

  it("hides a group's messages from before someone joined, and all of a group they left", async () => {
    const ann = await signUp(server.url, "ann");
    const ben = await signUp(server.url, "ben");
    const carol = await signUp(server.url, "carol");
    const created = await ann.api<{ chat: { id: string } }>("POST", "/api/chats", {
      kind: "group",
      title: "Search club",
      emails: [ben.email],
    });
    const chatId = created.body.chat.id;
    const socket = await connected(server.url, ann.cookie);
    const w = word();
    const early = await say(socket, chatId, `${w} early`);
    expect((await ann.api("POST", `/api/chats/${chatId}/members`, { email: carol.email })).status).toBe(200);
    const late = await say(socket, chatId, `${w} late`);
    expect(await found(carol, w)).toEqual([late.id]);
    expect(await found(ben, w)).toEqual([late.id, early.id]);
    expect((await carol.api("DELETE", `/api/chats/${chatId}/members/${carol.user.id}`)).status).toBe(204);
    expect(await found(carol, w)).toEqual([]);
    expect(errorCode(await carol.api("GET", `/api/search?q=${w}&chatId=${chatId}`))).toBe("not_found");
    expect(await found(ben, w)).toEqual([late.id, early.id]);
  });
});
