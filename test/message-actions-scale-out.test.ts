import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "../src/protocol/index.js";
import {
  clientId,
  closeAllSockets,
  collect,
  connected,
  nextEvent,
  pair,
  request,
  send,
} from "./support/client.js";
import {
  createTestDatabase,
  SCALE_OUT_READY,
  TEST_REDIS_URL,
  type TestDatabase,
} from "./support/databases.js";
import { startServer, type TestServer } from "./support/server.js";

describe.runIf(SCALE_OUT_READY)("message changes across two nodes (Redis, PostgreSQL)", () => {
  let database: TestDatabase;
  let node1: TestServer;
  let node2: TestServer;
  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    const env = {
      REDIS_URL: TEST_REDIS_URL as string,
      SESSION_SECRET: "a-shared-secret-for-every-node-0123456789",
    };
    node1 = await startServer({ databaseUrl: database.url, env });
    node2 = await startServer({ databaseUrl: database.url, env });
  });
  afterAll(async () => {
    await node1?.close();
    await node2?.close();
    await database?.drop();
  });
  afterEach(() => closeAllSockets());

  it("delivers message:updated and message:hidden to sockets on the other node", async () => {
    const { alice, bob, chatId } = await pair(node1.url);
    const aliceOn1 = await connected(node1.url, alice.cookie);
    const aliceOn2 = await connected(node2.url, alice.cookie);
    const bobOn2 = await connected(node2.url, bob.cookie);
    const bobOn1 = await connected(node1.url, bob.cookie);
    const ack = await send(aliceOn1, { chatId, body: "typo", clientId: clientId() });
    if (!ack.ok) throw new Error(ack.error.code);

    const toBob = nextEvent(bobOn2, "message:updated");
    const toAliceTab = nextEvent(aliceOn2, "message:updated");
    const edited = await request<{ message: Message }>(
      node1.url,
      "PATCH",
      `/api/chats/${chatId}/messages/${ack.message.id}`,
      {
        body: { body: "fixed" },
        cookie: alice.cookie,
      },
    );
    expect(edited.status).toBe(200);
    expect(await toBob).toEqual(edited.body.message);
    expect(await toAliceTab).toEqual(edited.body.message);

    const aliceHidden = collect(aliceOn1, "message:hidden");
    const hiddenOn1 = nextEvent(bobOn1, "message:hidden");
    const hid = await request(node2.url, "DELETE", `/api/chats/${chatId}/messages/${ack.message.id}?for=me`, {
      cookie: bob.cookie,
    });
    expect(hid.status).toBe(204);
    expect(await hiddenOn1).toEqual({ chatId, messageId: ack.message.id });
    expect(aliceHidden).toEqual([]);
  });
});
