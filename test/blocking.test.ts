import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ChangesPage, Chat, UserRef } from "../src/protocol/index.js";
import { chatsOf, say } from "./support/chats.js";
import {
  closeAllSockets,
  collect,
  connected,
  errorCode,
  eventually,
  nextEvent,
  pair,
  signUp,
  type TestUser,
} from "./support/client.js";
import { DIALECTS, SCALE_OUT_READY } from "./support/databases.js";
import { createGroup, historyOf } from "./support/groups.js";
import { startServer, type TestServer } from "./support/server.js";
import { twoNodes } from "./support/two-nodes.js";

describe.each(DIALECTS)("blocking (%s)", (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ dialect });
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  const block = (by: TestUser, whom: TestUser) => by.api("PUT", `/api/me/blocks/${whom.user.id}`);
  const unblock = (by: TestUser, whom: TestUser) => by.api("DELETE", `/api/me/blocks/${whom.user.id}`);

  it("acks a blocked user's message to them and keeps it off every socket, history, feed, unread and list of the blocker", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const [alice1, alice2] = [
      await connected(server.url, alice.cookie),
      await connected(server.url, alice.cookie),
    ];
    const [bob1, bob2] = [await connected(server.url, bob.cookie), await connected(server.url, bob.cookie)];
    const before = await say(bob1, chatId, "before the block");
    await historyOf(alice, chatId); // read: unread 0
    const cursor = (await chatsOf(alice)).find((c) => c.id === chatId)?.cursor ?? "";
    const aliceSaw = [alice1, alice2].map((s) => ({
      messages: collect(s, "message:new"),
      chats: collect(s, "chat:new"),
      updates: collect(s, "chat:updated"),
    }));

    expect((await block(alice, bob)).status).toBe(204);
    expect((await block(alice, bob)).status).toBe(204); // idempotent
    const blocked = await alice.api<{ users: UserRef[] }>("GET", "/api/me/blocks");
    expect(blocked.body.users).toEqual([{ id: bob.user.id, username: bob.user.username }]);
    expect((await bob.api<{ users: UserRef[] }>("GET", "/api/me/blocks")).body.users).toEqual([]);

    const bobsOtherTab = nextEvent(bob2, "message:new");
    const hidden = await say(bob1, chatId, "while blocked");
    expect(hidden.seq).toBe(before.seq + 1);
    expect((await bobsOtherTab).id).toBe(hidden.id);

    // Alice's own message after it: once her other tab has that, B's would have come before it.
    const marker = nextEvent(alice2, "message:new");
    const mine = await say(alice1, chatId, "after");
    expect((await marker).id).toBe(mine.id);
    for (const seen of aliceSaw) {
      expect(seen.messages.map((m) => m.body)).not.toContain("while blocked");
      expect(seen.chats).toEqual([]);
    }
    expect(aliceSaw[0]?.messages).toEqual([]);

    expect((await historyOf(alice, chatId)).map((m) => m.body)).toEqual(["before the block", "after"]);
    expect((await historyOf(bob, chatId)).map((m) => m.body)).toEqual([
      "before the block",
      "while blocked",
      "after",
    ]);
    for (const query of ["", `?cursor=${cursor}`]) {
      const feed = await alice.api<ChangesPage>("GET", `/api/chats/${chatId}/changes${query}`);
      expect(feed.status).toBe(200);
      expect(feed.body.messages.map((m) => m.id)).not.toContain(hidden.id);
      expect(feed.body.hiddenIds).toEqual([]);
    }

    const third = await say(bob1, chatId, "also while blocked");
    const aliceChat = (await chatsOf(alice)).find((c) => c.id === chatId);
    expect(aliceChat?.unread).toBe(0);
    expect(aliceChat?.lastMessage?.id).toBe(mine.id);
    const bobChat = (await chatsOf(bob)).find((c) => c.id === chatId);
    expect(bobChat?.lastMessage?.id).toBe(third.id);
    expect(aliceSaw.flatMap((s) => s.updates).map((c) => c.lastMessage?.id)).not.toContain(third.id);
  });

  it("restores live delivery on unblock, while what was sent meanwhile stays hidden", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const aliceSocket = await connected(server.url, alice.cookie);
    const bobSocket = await connected(server.url, bob.cookie);
    await block(alice, bob);
    await say(bobSocket, chatId, "while blocked");
    expect((await unblock(alice, bob)).status).toBe(204);
    expect((await unblock(alice, bob)).status).toBe(204);
    expect((await alice.api<{ users: UserRef[] }>("GET", "/api/me/blocks")).body.users).toEqual([]);

    const live = nextEvent(aliceSocket, "message:new");
    const after = await say(bobSocket, chatId, "after unblocking");
    expect((await live).id).toBe(after.id);
    expect((await historyOf(alice, chatId)).map((m) => m.body)).toEqual(["after unblocking"]);
    const aliceChat = (await chatsOf(alice)).find((c) => c.id === chatId);
    expect(aliceChat?.unread).toBe(0);
  });

  it("tells the blocker nothing live of the blocked user's edits and reactions; a delete for everyone still reaches them", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const aliceSocket = await connected(server.url, alice.cookie);
    const bobSocket = await connected(server.url, bob.cookie);
    const mine = await say(aliceSocket, chatId, "before the block");
    const theirs = await say(bobSocket, chatId, "bob wrote this earlier");
    const aliceHears = collect(aliceSocket, "message:updated");
    const bobHears = collect(bobSocket, "message:updated");
    await block(alice, bob);
    const path = (id: string) => `/api/chats/${chatId}/messages/${id}`;
    expect((await bob.api("PUT", `${path(mine.id)}/reactions/${encodeURIComponent("👎")}`)).status).toBe(200);
    expect((await bob.api("PATCH", path(theirs.id), { body: "bob rewrote it" })).status).toBe(200);
    await eventually(() => expect(bobHears.map((m) => m.id)).toEqual([mine.id, theirs.id]));
    // Control: the blocker's own reaction still reaches both sides.
    expect((await alice.api("PUT", `${path(theirs.id)}/reactions/${encodeURIComponent("👍")}`)).status).toBe(
      200,
    );
    await eventually(() => expect(bobHears).toHaveLength(3));
    await eventually(() => expect(aliceHears).toHaveLength(1));
    expect(aliceHears[0]?.reactions.map((r) => r.emoji)).toEqual(["👍"]);

    expect((await bob.api("DELETE", `${path(theirs.id)}?for=everyone`)).status).toBe(204);
    await eventually(() => expect(aliceHears).toHaveLength(2));
    expect(aliceHears[1]?.id).toBe(theirs.id);
    expect(aliceHears[1]?.deletedAt).not.toBeNull();
  });

  it("answers a blocked user's new chat with the blocker as for anyone, and leaves it out of the blocker's side", async () => {
    const alice = await signUp(server.url, "alice");
    const bob = await signUp(server.url, "bob");
    const dora = await signUp(server.url, "dora");
    await block(alice, bob);
    const aliceSocket = await connected(server.url, alice.cookie);
    const aliceEvents = {
      chats: collect(aliceSocket, "chat:new"),
      messages: collect(aliceSocket, "message:new"),
    };

    const toAlice = await bob.api<{ chat: Chat }>("POST", "/api/chats", { email: alice.email });
    const toDora = await bob.api<{ chat: Chat }>("POST", "/api/chats", { email: dora.email });
    expect(toAlice.status).toBe(toDora.status);
    expect(Object.keys(toAlice.body.chat).sort()).toEqual(Object.keys(toDora.body.chat).sort());
    expect(toAlice.body.chat.title).toBe(alice.user.username);
    const again = await bob.api<{ chat: Chat }>("POST", "/api/chats", { email: alice.email });
    expect(again.status).toBe(200);
    expect(again.body.chat.id).toBe(toAlice.body.chat.id);

    const chatId = toAlice.body.chat.id;
    const bobSocket = await connected(server.url, bob.cookie);
    await say(bobSocket, chatId, "hello?");
    await say(bobSocket, toDora.body.chat.id, "hello dora");
    expect((await historyOf(bob, chatId)).map((m) => m.body)).toEqual(["hello?"]);
    expect((await chatsOf(bob)).map((c) => c.id)).toContain(chatId);

    expect((await chatsOf(alice)).map((c) => c.id)).not.toContain(chatId);
    expect(await historyOf(alice, chatId)).toEqual([]);
    // Unblocking: the next message brings the chat to her (without what came before).
    await unblock(alice, bob);
    const appeared = nextEvent(aliceSocket, "chat:new");
    const live = nextEvent(aliceSocket, "message:new");
    const after = await say(bobSocket, chatId, "now?");
    expect((await appeared).id).toBe(chatId);
    expect((await live).id).toBe(after.id);
    expect(aliceEvents.chats.map((c) => c.id)).toEqual([chatId]);
    expect(aliceEvents.messages.map((m) => m.body)).toEqual(["now?"]);
    expect((await historyOf(alice, chatId)).map((m) => m.body)).toEqual(["now?"]);
  });

  it("keeps a chat the blocker removed out of their list when the blocked user writes", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const bobSocket = await connected(server.url, bob.cookie);
    await say(bobSocket, chatId, "hi");
    await block(alice, bob);
    expect((await alice.api("DELETE", `/api/chats/${chatId}`)).status).toBe(204);
    const aliceSocket = await connected(server.url, alice.cookie);
    const appeared = collect(aliceSocket, "chat:new");
    await say(bobSocket, chatId, "are you there?");
    expect((await chatsOf(alice)).map((c) => c.id)).not.toContain(chatId);
    // A later message of hers would bring it back as usual; nothing of his did.
    expect(appeared).toEqual([]);
  });

  it("hides nothing in groups", async () => {
    const alice = await signUp(server.url, "alice");
    const bob = await signUp(server.url, "bob");
    const carol = await signUp(server.url, "carol");
    const groupId = await createGroup(alice, [bob, carol]);
    await block(alice, bob);
    const aliceSocket = await connected(server.url, alice.cookie);
    const bobSocket = await connected(server.url, bob.cookie);
    const live = nextEvent(aliceSocket, "message:new");
    const message = await say(bobSocket, groupId, "to everyone");
    expect((await live).id).toBe(message.id);
    expect((await historyOf(alice, groupId)).map((m) => m.body)).toContain("to everyone");
  });

  it("refuses to block oneself (400) or an unknown user (404), and requires a session", async () => {
    const alice = await signUp(server.url, "alice");
    const self = await alice.api("PUT", `/api/me/blocks/${alice.user.id}`);
    expect([self.status, errorCode(self)]).toEqual([400, "invalid_input"]);
    const unknown = await alice.api("PUT", "/api/me/blocks/u_nobody");
    expect([unknown.status, errorCode(unknown)]).toEqual([404, "user_not_found"]);
    const unknownDelete = await alice.api("DELETE", "/api/me/blocks/u_nobody");
    expect([unknownDelete.status, errorCode(unknownDelete)]).toEqual([404, "user_not_found"]);
    for (const method of ["GET", "PUT", "DELETE"]) {
      const path = method === "GET" ? "/api/me/blocks" : `/api/me/blocks/${alice.user.id}`;
      const reply = await fetch(`${server.url}${path}`, { method });
      expect(reply.status).toBe(401);
    }
  });
});

describe.runIf(SCALE_OUT_READY)("blocking across two nodes (Redis, PostgreSQL)", () => {
  const nodes = twoNodes();

  it("keeps a blocked user's message off the blocker's sockets on the other node, until unblocked", async () => {
    const { alice, bob, chatId } = await pair(nodes.node1.url);
    const aliceFar = await connected(nodes.node2.url, alice.cookie);
    const aliceNear = await connected(nodes.node1.url, alice.cookie);
    const seen = [collect(aliceFar, "message:new"), collect(aliceNear, "message:new")];
    const bobSocket = await connected(nodes.node1.url, bob.cookie);
    const bobFar = await connected(nodes.node2.url, bob.cookie);
    await alice.api("PUT", `/api/me/blocks/${bob.user.id}`);

    const bobsOtherTab = nextEvent(bobFar, "message:new");
    const hidden = await say(bobSocket, chatId, "while blocked");
    expect((await bobsOtherTab).id).toBe(hidden.id);
    await alice.api("DELETE", `/api/me/blocks/${bob.user.id}`);
    const live = [nextEvent(aliceFar, "message:new"), nextEvent(aliceNear, "message:new")];
    const after = await say(bobSocket, chatId, "after");
    for (const event of await Promise.all(live)) expect(event.id).toBe(after.id);
    for (const messages of seen) expect(messages.map((m) => m.body)).toEqual(["after"]);
  });
});
