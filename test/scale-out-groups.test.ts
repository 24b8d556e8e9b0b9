import type { AddressInfo } from "node:net";
import { createConnection, createServer, type Server } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Chat } from "../src/protocol/index.js";
import { rooms } from "../src/server/realtime/rooms.js";
import {
  clientId,
  closeAllSockets,
  collect,
  connected,
  eventually,
  nextEvent,
  send,
} from "./support/client.js";
import {
  createTestDatabase,
  SCALE_OUT_READY,
  TEST_REDIS_URL,
  type TestDatabase,
} from "./support/databases.js";
import { createGroup, users } from "./support/groups.js";
import { startServer, type TestServer } from "./support/server.js";

if (!SCALE_OUT_READY)
  console.warn("Scale-out group tests skipped: they need TEST_REDIS_URL and TEST_DATABASE_URL (PostgreSQL).");

/**
 * A TCP proxy to Redis that holds every answer back by `delayMs` (in order): the node behind it
 * hears about other nodes' room changes late, as a loaded node would.
 */
async function slowRedisProxy(redisUrl: string, delayMs: number): Promise<{ url: string; close(): void }> {
  const target = new URL(redisUrl);
  const server: Server = createServer((client) => {
    const upstream = createConnection(Number(target.port || 6379), target.hostname);
    client.on("data", (data) => upstream.write(data));
    upstream.on("data", (data) => {
      setTimeout(() => client.writable && client.write(data), delayMs);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `redis://127.0.0.1:${port}`, close: () => server.close() };
}

describe.runIf(SCALE_OUT_READY)("groups across two nodes sharing Redis and PostgreSQL", () => {
  let database: TestDatabase;
  let node1: TestServer;
  let node2: TestServer;
  let proxy: { url: string; close(): void };
  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    const env = { SESSION_SECRET: "a-shared-secret-for-every-node-0123456789" };
    proxy = await slowRedisProxy(TEST_REDIS_URL as string, 400);
    node1 = await startServer({
      databaseUrl: database.url,
      env: { ...env, REDIS_URL: TEST_REDIS_URL as string },
    });
    // Node 2 hears Redis 400 ms late: the removal must still not be answered before it obeyed.
    node2 = await startServer({ databaseUrl: database.url, env: { ...env, REDIS_URL: proxy.url } });
    await untilNode2HearsNode1();
  });

  /**
   * Node 2's adapter starts reading Redis some round trips (each 400 ms late) after it answers
   * /healthz: wait until a broadcast made on node 1 reaches a socket on node 2.
   */
  async function untilNode2HearsNode1(): Promise<void> {
    const [probe] = await users(node1.url, "probe");
    if (!probe) throw new Error("probe user");
    const socket = await connected(node2.url, probe.cookie);
    let heard = false;
    socket.on("chat:cleared", () => {
      heard = true;
    });
    await eventually(() => {
      node1.app.io.to(rooms.user(probe.user.id)).emit("chat:cleared", { chatId: "probe", seq: 0 });
      expect(heard).toBe(true);
    }, 15_000);
    socket.disconnect();
  }
  afterAll(async () => {
    await node1?.close();
    await node2?.close();
    proxy?.close();
    await database?.drop();
  });
  afterEach(() => closeAllSockets());

  /** How many of the user's sockets on this node are in the chat's room, read from the node's own adapter. */
  function inRoomOn(node: TestServer, userId: string, chatId: string): number {
    const byRoom = node.app.io.of("/").adapter.rooms;
    const inChat = byRoom.get(rooms.chat(chatId)) ?? new Set<string>();
    return [...(byRoom.get(rooms.user(userId)) ?? [])].filter((id) => inChat.has(id)).length;
  }

  it("takes a removed member's sockets on the other node out of the room before the removal is answered", async () => {
    const [ann, ben, cy] = await users(node1.url, "ann", "ben", "cy");
    if (!ann || !ben || !cy) throw new Error("users");
    const benTab1 = await connected(node2.url, ben.cookie);
    const benTab2 = await connected(node2.url, ben.cookie);
    const appeared = nextEvent(benTab1, "chat:new");
    const chatId = await createGroup(ann, [ben, cy]);
    await appeared;
    await eventually(() => expect(inRoomOn(node2, ben.user.id, chatId)).toBe(2));
    const left = [nextEvent(benTab1, "chat:left"), nextEvent(benTab2, "chat:left")];
    const benMessages = collect(benTab1, "message:new");

    const removal = await ann.api("DELETE", `/api/chats/${chatId}/members/${ben.user.id}`);
    expect(removal.status).toBe(204);
    // Checked the instant the removal is answered: no waiting for the other node.
    const inRoom = inRoomOn(node2, ben.user.id, chatId);
    const late = await send(benTab2, { chatId, body: "sneaking in", clientId: clientId() });
    expect(late).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(inRoom).toBe(0);
    expect(await Promise.all(left)).toEqual([{ chatId }, { chatId }]);

    const annOn1 = await connected(node1.url, ann.cookie);
    expect((await send(annOn1, { chatId, body: "after Ben", clientId: clientId() })).ok).toBe(true);
    const direct = await ann.api<{ chat: Chat }>("POST", "/api/chats", { email: ben.email });
    const marker = nextEvent(benTab1, "message:new");
    await send(annOn1, { chatId: direct.body.chat.id, body: "marker", clientId: clientId() });
    expect((await marker).body).toBe("marker");
    expect(benMessages.filter((m) => m.chatId === chatId)).toEqual([]);
  });

  it("a member removed while offline reconnects to the other node outside the room, with 404s", async () => {
    const [ann, ben] = await users(node1.url, "ann", "ben");
    if (!ann || !ben) throw new Error("users");
    const chatId = await createGroup(ann, [ben]);
    expect((await ann.api("DELETE", `/api/chats/${chatId}/members/${ben.user.id}`)).status).toBe(204);
    // Node 2 reads node 1's stream in order: once it hears a later broadcast, it has applied the
    // group's earlier room changes too (a socket joining before that would meet them late).
    await untilNode2HearsNode1();

    const benOn2 = await connected(node2.url, ben.cookie);
    const seen = collect(benOn2, "message:new");
    expect(inRoomOn(node2, ben.user.id, chatId)).toBe(0);
    const refused = await send(benOn2, { chatId, body: "hello?", clientId: clientId() });
    expect(refused).toMatchObject({ ok: false, error: { code: "not_found" } });
    const annOn1 = await connected(node1.url, ann.cookie);
    expect((await send(annOn1, { chatId, body: "not for Ben", clientId: clientId() })).ok).toBe(true);
    const direct = await ann.api<{ chat: Chat }>("POST", "/api/chats", { email: ben.email });
    const marker = nextEvent(benOn2, "message:new");
    await send(annOn1, { chatId: direct.body.chat.id, body: "marker", clientId: clientId() });
    expect((await marker).body).toBe("marker");
    expect(seen.filter((m) => m.chatId === chatId)).toEqual([]);
    const reply = await fetch(`${node2.url}/api/chats/${chatId}/messages`, {
      headers: { cookie: ben.cookie },
    });
    expect(reply.status).toBe(404);
  });

  it("a member added on one node gets chat:new, the system entry and later messages on the other", async () => {
    const [ann, ben, cy] = await users(node1.url, "ann", "ben", "cy");
    if (!ann || !ben || !cy) throw new Error("users");
    const chatId = await createGroup(ann, [ben]);
    const cyOn2 = await connected(node2.url, cy.cookie);
    const benOn2 = await connected(node2.url, ben.cookie);
    const appeared = nextEvent(cyOn2, "chat:new");
    const benUpdate = nextEvent(benOn2, "chat:updated");
    expect((await ann.api("POST", `/api/chats/${chatId}/members`, { email: cy.email })).status).toBe(200);
    expect((await appeared).lastMessage?.system).toEqual({ event: "member_added", userIds: [cy.user.id] });
    expect((await benUpdate).members.map((m) => m.id)).toContain(cy.user.id);
    const annOn1 = await connected(node1.url, ann.cookie);
    const toCy = nextEvent(cyOn2, "message:new");
    await send(annOn1, { chatId, body: "welcome Cy", clientId: clientId() });
    expect((await toCy).body).toBe("welcome Cy");
  });
});
