import { describe, expect, it } from "vitest";
import type { Chat } from "../src/protocol/index.js";
import { clientId, connected, nextEvent, pair, request, send, sessionCookie } from "./support/client.js";
import { SCALE_OUT_READY, TEST_REDIS_URL } from "./support/databases.js";
import { twoNodes } from "./support/two-nodes.js";

const _redisUrl = TEST_REDIS_URL;
const ready = SCALE_OUT_READY;
if (!ready)
  console.warn("Scale-out tests skipped: they need TEST_REDIS_URL and TEST_DATABASE_URL (PostgreSQL).");

describe.runIf(ready)("two server nodes sharing Redis and PostgreSQL", () => {
  const nodes = twoNodes();

  it("delivers messages, chat:new and chat:cleared to a member connected to the other node", async () => {
    const { alice, bob, chatId } = await pair(nodes.node1.url);
    const carolReply = await request(nodes.node2.url, "POST", "/api/auth/register", {
      body: {
        email: `carol-${clientId()}@example.com`,
        username: `carol_${clientId()}`,
        password: "password123",
      },
    });
    const carolCookie = sessionCookie(carolReply);
    const aliceOn1 = await connected(nodes.node1.url, alice.cookie);
    const bobOn2 = await connected(nodes.node2.url, bob.cookie);
    const carolOn2 = await connected(nodes.node2.url, carolCookie);

    const toBob = nextEvent(bobOn2, "message:new");
    const ack = await send(aliceOn1, { chatId, body: "across nodes", clientId: clientId() });
    expect(ack.ok).toBe(true);
    expect((await toBob).body).toBe("across nodes");

    const toCarol = nextEvent(carolOn2, "chat:new");
    const created = await alice.api<{ chat: Chat }>("POST", "/api/chats", {
      email: (carolReply.body as { user: { email: string } }).user.email,
    });
    expect((await toCarol).id).toBe(created.body.chat.id);
    // Carol's socket on node 2 was added to the new chat by node 1.
    const toCarolMessage = nextEvent(carolOn2, "message:new");
    await send(aliceOn1, { chatId: created.body.chat.id, body: "hi carol", clientId: clientId() });
    expect((await toCarolMessage).body).toBe("hi carol");

    const cleared = nextEvent(bobOn2, "chat:cleared");
    await alice.api("POST", `/api/chats/${chatId}/clear`, { forEveryone: true });
    expect(await cleared).toEqual({ chatId, seq: 1 });
  });

  it("logout on one node disconnects the session's sockets on the other", async () => {
    const { alice } = await pair(nodes.node1.url);
    const onNode2 = await connected(nodes.node2.url, alice.cookie);
    const disconnected = new Promise<string>((resolve) => onNode2.once("disconnect", resolve));
    await alice.api("POST", "/api/auth/logout");
    expect(await disconnected).toBe("io server disconnect");
    expect((await request(nodes.node2.url, "GET", "/api/me", { cookie: alice.cookie })).status).toBe(401);
  });
});
