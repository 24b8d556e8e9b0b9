import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Chat } from "../src/protocol/index.js";
import { chatsOf, say } from "./support/chats.js";
import { closeAllSockets, connected, errorCode, nextEvent, signUp } from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { createGroup } from "./support/groups.js";
import { startServer, type TestServer } from "./support/server.js";

describe.each(DIALECTS)("message requests (%s)", (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ dialect });
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  it("shows a stranger's new direct chat as a request on the receiver's side only", async () => {
    const alice = await signUp(server.url, "alice");
    const bob = await signUp(server.url, "bob");
    const bobSocket = await connected(server.url, bob.cookie);
    const announced = nextEvent(bobSocket, "chat:new");
    const started = await alice.api<{ chat: Chat }>("POST", "/api/chats", { email: bob.email });
    expect(started.status).toBe(201);
    expect(started.body.chat.request).toBeUndefined();
    expect((await announced).request).toBe(true);

    const aliceSocket = await connected(server.url, alice.cookie);
    await say(aliceSocket, started.body.chat.id, "hi, we met at the conference");
    const bobsChat = (await chatsOf(bob)).find((c) => c.id === started.body.chat.id);
    expect(bobsChat?.request).toBe(true);
    // Counted per chat as usual; clients leave requests out of their unread totals.
    expect(bobsChat?.unread).toBe(1);
    expect((await chatsOf(alice)).find((c) => c.id === started.body.chat.id)?.request).toBeUndefined();
  });

  it("ends a request when the receiver accepts it, in every tab of theirs", async () => {
    const alice = await signUp(server.url, "alice");
    const bob = await signUp(server.url, "bob");
    const chatId = (await alice.api<{ chat: Chat }>("POST", "/api/chats", { email: bob.email })).body.chat.id;
    const bobOtherTab = await connected(server.url, bob.cookie);
    const updated = nextEvent(bobOtherTab, "chat:updated");

    const accepted = await bob.api<{ chat: Chat }>("POST", `/api/chats/${chatId}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body.chat.id).toBe(chatId);
    expect(accepted.body.chat.request).toBeUndefined();
    expect((await updated).request).toBeUndefined();
    expect((await chatsOf(bob)).find((c) => c.id === chatId)?.request).toBeUndefined();
    // Accepting again, or a chat that never was a request, is a no-op.
    expect((await bob.api("POST", `/api/chats/${chatId}/accept`)).status).toBe(200);
    expect((await alice.api("POST", `/api/chats/${chatId}/accept`)).status).toBe(200);
  });

  it("ends a request when the receiver starts the same chat by email", async () => {
    const alice = await signUp(server.url, "alice");
    const bob = await signUp(server.url, "bob");
    const chatId = (await alice.api<{ chat: Chat }>("POST", "/api/chats", { email: bob.email })).body.chat.id;
    const reply = await bob.api<{ chat: Chat }>("POST", "/api/chats", { email: alice.email });
    expect([reply.status, reply.body.chat.id, reply.body.chat.request]).toEqual([200, chatId, undefined]);
    expect((await chatsOf(bob)).find((c) => c.id === chatId)?.request).toBeUndefined();
  });

  it("ends a request when the receiver answers in it", async () => {
    const alice = await signUp(server.url, "alice");
    const bob = await signUp(server.url, "bob");
    const chatId = (await alice.api<{ chat: Chat }>("POST", "/api/chats", { email: bob.email })).body.chat.id;
    expect((await chatsOf(bob)).find((c) => c.id === chatId)?.request).toBe(true);
    await say(await connected(server.url, bob.cookie), chatId, "hello!");
    expect((await chatsOf(bob)).find((c) => c.id === chatId)?.request).toBeUndefined();
  });

  it("is no request from someone the receiver already wrote to, and still one from someone they only read", async () => {
    const alice = await signUp(server.url, "alice");
    const bob = await signUp(server.url, "bob");
    const carol = await signUp(server.url, "carol");
    const groupId = await createGroup(carol, [alice, bob]);
    await say(await connected(server.url, bob.cookie), groupId, "hello all");

    // Bob wrote where Alice reads: her chat is no request for him.
    const fromAlice = await alice.api<{ chat: Chat }>("POST", "/api/chats", { email: bob.email });
    expect((await chatsOf(bob)).find((c) => c.id === fromAlice.body.chat.id)?.request).toBeUndefined();
    // Carol never wrote anywhere Bob is (a group's creation is no message): his chat is a request for her.
    const fromBob = await bob.api<{ chat: Chat }>("POST", "/api/chats", { email: carol.email });
    expect((await chatsOf(carol)).find((c) => c.id === fromBob.body.chat.id)?.request).toBe(true);
  });

  it("answers accept on someone else's chat like a missing one", async () => {
    const alice = await signUp(server.url, "alice");
    const bob = await signUp(server.url, "bob");
    const mallory = await signUp(server.url, "mallory");
    const chatId = (await alice.api<{ chat: Chat }>("POST", "/api/chats", { email: bob.email })).body.chat.id;
    const reply = await mallory.api("POST", `/api/chats/${chatId}/accept`);
    expect([reply.status, errorCode(reply)]).toEqual([404, "not_found"]);
    const missing = await mallory.api("POST", "/api/chats/c_missing/accept");
    expect([missing.status, errorCode(missing)]).toEqual([404, "not_found"]);
    expect((await fetch(`${server.url}/api/chats/${chatId}/accept`, { method: "POST" })).status).toBe(401);
  });
});
