import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PushPayload } from "../src/protocol/index.js";
import { isPublicAddress } from "../src/server/push/endpoint-guard.js";
import {
  clientId,
  closeAllSockets,
  connected,
  errorCode,
  eventually,
  pair,
  send,
  signUp,
} from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { browserKeys, decryptPush, startPushService, verifyVapid } from "./support/push-service.js";
import { startServer, type TestServer } from "./support/server.js";

describe.each(DIALECTS)("Web Push (%s)", (dialect) => {
  let server: TestServer;
  let service: Awaited<ReturnType<typeof startPushService>>;
  beforeAll(async () => {
    service = await startPushService((path) => (path.startsWith("/gone") ? 410 : 201));
    server = await startServer({
      dialect,
      env: { PUSH_ALLOW_PRIVATE_ENDPOINTS: "true", VAPID_SUBJECT: "mailto:ops@example.org" },
    });
  });
  afterAll(async () => {
    closeAllSockets();
    await server?.close();
    await service?.close();
  });

  const subscriptionsOf = (userId: string) =>
    server.app.database.db
      .selectFrom("push_subscriptions")
      .select("endpoint")
      .where("user_id", "=", userId)
      .execute()
      .then((rows) => rows.map((r) => r.endpoint));
  const pushesTo = (path: string) => service.received.filter((p) => p.path === path);
  /** A direct chat Bob has accepted: a pending message request pushes nothing. */
  const acceptedPair = async () => {
    const chat = await pair(server.url);
    expect((await chat.bob.api("POST", `/api/chats/${chat.chatId}/accept`)).status).toBe(200);
    return chat;
  };

  it("serves the VAPID public key to a signed-in user only", async () => {
    const ann = await signUp(server.url, "ann");
    const key = await ann.api<{ publicKey: string }>("GET", "/api/push/key");
    expect(key.status).toBe(200);
    expect(Buffer.from(key.body.publicKey, "base64url")).toHaveLength(65);
    const anonymous = await fetch(`${server.url}/api/push/key`);
    expect(anonymous.status).toBe(401);
  });

  it("pushes a new message, encrypted for the subscription and signed with VAPID, to a member with no visible tab", async () => {
    const { alice, bob, chatId } = await acceptedPair();
    const keys = browserKeys();
    const path = `/bob-${clientId()}`;
    const subscribed = await bob.api("POST", "/api/push/subscriptions", {
      endpoint: `${service.origin}${path}`,
      keys: keys.json,
      expirationTime: null,
    });
    expect(subscribed.status).toBe(201);
    const socket = await connected(server.url, alice.cookie);
    const body = `hello bob ${"é".repeat(120)}`;
    const ack = (await send(socket, { chatId, body, clientId: clientId() })) as { message: { id: string } };

    await eventually(() => expect(pushesTo(path)).toHaveLength(1));
    const [push] = pushesTo(path);
    expect(push?.headers["content-encoding"]).toBe("aes128gcm");
    expect(Number(push?.headers.ttl)).toBeGreaterThan(0);
    const payload = JSON.parse(decryptPush(push?.body as Buffer, keys)) as PushPayload;
    expect(payload).toEqual({
      chatId,
      messageId: ack.message.id,
      title: alice.user.username,
      sender: alice.user.username,
      body: Array.from(body).slice(0, 100).join(""),
    });
    const key = await bob.api<{ publicKey: string }>("GET", "/api/push/key");
    const claims = verifyVapid(push?.headers.authorization, key.body.publicKey);
    expect(claims.aud).toBe(service.origin);
    expect(claims.sub).toBe("mailto:ops@example.org");
    const inSeconds = claims.exp - Date.now() / 1000;
    expect(inSeconds).toBeGreaterThan(60);
    expect(inSeconds).toBeLessThanOrEqual(24 * 60 * 60);
  });

  it("pushes nothing while the member has a visible tab, and again once every tab is hidden", async () => {
    const alice = await signUp(server.url, "alice");
    const bob = await signUp(server.url, "bob");
    const carl = await signUp(server.url, "carl");
    const group = await alice.api<{ chat: { id: string } }>("POST", "/api/chats", {
      kind: "group",
      title: "lookers",
      emails: [bob.email, carl.email],
    });
    const chatId = group.body.chat.id;
    const bobKeys = browserKeys();
    const bobPath = `/bob-${clientId()}`;
    const carlPath = `/carl-${clientId()}`;
    await bob.api("POST", "/api/push/subscriptions", {
      endpoint: `${service.origin}${bobPath}`,
      keys: bobKeys.json,
    });
    await carl.api("POST", "/api/push/subscriptions", {
      endpoint: `${service.origin}${carlPath}`,
      keys: browserKeys().json,
    });
    const aliceSocket = await connected(server.url, alice.cookie);
    const bobSocket = await connected(server.url, bob.cookie);
    await send(aliceSocket, { chatId, body: "while you look", clientId: clientId() });
    // Carl (no tab at all) gets it: the message has been judged for bob too.
    await eventually(() => expect(pushesTo(carlPath)).toHaveLength(1));
    bobSocket.emit("client:visibility", { visible: false });
    await eventually(async () => {
      const sockets = await server.app.io.in(`visible:${bob.user.id}`).fetchSockets();
      expect(sockets).toHaveLength(0);
    });
    await send(aliceSocket, { chatId, body: "now you look away", clientId: clientId() });
    await eventually(() => expect(pushesTo(carlPath)).toHaveLength(2));
    await eventually(() => expect(pushesTo(bobPath)).toHaveLength(1));
    const payload = JSON.parse(decryptPush(pushesTo(bobPath)[0]?.body as Buffer, bobKeys)) as PushPayload;
    expect(payload).toMatchObject({
      title: "lookers",
      sender: alice.user.username,
      body: "now you look away",
    });
  });

  it("leaves the text out when the receiver turned pushPreviews off", async () => {
    const { alice, bob, chatId } = await acceptedPair();
    await bob.api("PATCH", "/api/me/settings", { pushPreviews: false });
    const keys = browserKeys();
    const path = `/bob-${clientId()}`;
    await bob.api("POST", "/api/push/subscriptions", {
      endpoint: `${service.origin}${path}`,
      keys: keys.json,
    });
    const socket = await connected(server.url, alice.cookie);
    await send(socket, { chatId, body: "secret", clientId: clientId() });
    await eventually(() => expect(pushesTo(path)).toHaveLength(1));
    const payload = JSON.parse(decryptPush(pushesTo(path)[0]?.body as Buffer, keys)) as PushPayload;
    expect(payload.body).toBeUndefined();
    expect(payload.title).toBe(alice.user.username);
  });

  it("pushes nothing for a message request until it is accepted, nor from someone the member blocked", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const path = `/bob-${clientId()}`;
    const keys = browserKeys();
    await bob.api("POST", "/api/push/subscriptions", {
      endpoint: `${service.origin}${path}`,
      keys: keys.json,
    });
    // Carol's chat with Bob, accepted: her message is pushed, and pushes are decided in the
    // order sent, so once hers arrives the request's message has been decided on.
    const carol = await signUp(server.url, "carol");
    const carolChat = await carol.api<{ chat: { id: string } }>("POST", "/api/chats", { email: bob.email });
    expect((await bob.api("POST", `/api/chats/${carolChat.body.chat.id}/accept`)).status).toBe(200);
    const carolSocket = await connected(server.url, carol.cookie);

    const socket = await connected(server.url, alice.cookie);
    await send(socket, { chatId, body: "a stranger writes", clientId: clientId() });
    await send(carolSocket, { chatId: carolChat.body.chat.id, body: "from carol", clientId: clientId() });
    await eventually(() => expect(pushesTo(path)).toHaveLength(1));
    expect((await bob.api("POST", `/api/chats/${chatId}/accept`)).status).toBe(200);
    await send(socket, { chatId, body: "accepted now", clientId: clientId() });
    await eventually(() => expect(pushesTo(path)).toHaveLength(2));

    expect((await bob.api("PUT", `/api/me/blocks/${alice.user.id}`)).status).toBe(204);
    await send(socket, { chatId, body: "blocked now", clientId: clientId() });
    expect((await bob.api("DELETE", `/api/me/blocks/${alice.user.id}`)).status).toBe(204);
    await send(socket, { chatId, body: "unblocked", clientId: clientId() });
    await eventually(() => expect(pushesTo(path)).toHaveLength(3));
    // Pushed in the order sent: had either refused message been pushed, it would come first.
    const bodies = pushesTo(path).map(
      (p) => (JSON.parse(decryptPush(p.body as Buffer, keys)) as PushPayload).body,
    );
    expect(bodies).toEqual(["from carol", "accepted now", "unblocked"]);
  });

  it("deletes a subscription the push service answers 410 for", async () => {
    const { alice, bob, chatId } = await acceptedPair();
    const path = `/gone-${clientId()}`;
    await bob.api("POST", "/api/push/subscriptions", {
      endpoint: `${service.origin}${path}`,
      keys: browserKeys().json,
    });
    expect(await subscriptionsOf(bob.user.id)).toHaveLength(1);
    const socket = await connected(server.url, alice.cookie);
    await send(socket, { chatId, body: "anyone?", clientId: clientId() });
    await eventually(async () => expect(await subscriptionsOf(bob.user.id)).toEqual([]));
    expect(pushesTo(path)).toHaveLength(1);
  });

  it("ends a session's subscriptions with it (logout), and DELETE removes one", async () => {
    const bob = await signUp(server.url, "bob");
    const first = `${service.origin}/bob-${clientId()}`;
    const second = `${service.origin}/bob-${clientId()}`;
    await bob.api("POST", "/api/push/subscriptions", { endpoint: first, keys: browserKeys().json });
    await bob.api("POST", "/api/push/subscriptions", { endpoint: second, keys: browserKeys().json });
    const removed = await bob.api("DELETE", "/api/push/subscriptions", { endpoint: first });
    expect(removed.status).toBe(204);
    expect(await subscriptionsOf(bob.user.id)).toEqual([second]);
    await bob.api("POST", "/api/auth/logout", {});
    expect(await subscriptionsOf(bob.user.id)).toEqual([]);
  });

  it("answers bad input with invalid_input and no session with unauthorized", async () => {
    const bob = await signUp(server.url, "bob");
    const endpoint = `${service.origin}/x`;
    for (const body of [
      {},
      { endpoint, keys: { p256dh: "short", auth: browserKeys().json.auth } },
      { endpoint, keys: { p256dh: browserKeys().json.p256dh, auth: "x" } },
      // 65 bytes starting with 4, but not a point on the curve.
      {
        endpoint,
        keys: { p256dh: Buffer.alloc(65, 4).toString("base64url"), auth: browserKeys().json.auth },
      },
      { endpoint: "not a url", keys: browserKeys().json },
    ]) {
      const reply = await bob.api("POST", "/api/push/subscriptions", body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(errorCode(reply)).toBe("invalid_input");
    }
    expect((await bob.api("DELETE", "/api/push/subscriptions", {})).status).toBe(400);
    for (const method of ["POST", "DELETE"]) {
      const reply = await fetch(`${server.url}/api/push/subscriptions`, {
        method,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ endpoint, keys: browserKeys().json }),
      });
      expect(reply.status).toBe(401);
    }
  });

  it("sends the pushes of stored messages before a shutdown completes", async () => {
    // A slow push service: with 16 requests at a time, most of the 40 pushes still wait at close.
    const slow = await startPushService(() => 201, { answerAfterMs: 500 });
    const own = await startServer({
      dialect,
      env: { PUSH_ALLOW_PRIVATE_ENDPOINTS: "true", VAPID_SUBJECT: "mailto:ops@example.org" },
    });
    const chat = await pair(own.url);
    expect((await chat.bob.api("POST", `/api/chats/${chat.chatId}/accept`)).status).toBe(200);
    const path = `/bob-${clientId()}`;
    await chat.bob.api("POST", "/api/push/subscriptions", {
      endpoint: `${slow.origin}${path}`,
      keys: browserKeys().json,
    });
    const socket = await connected(own.url, chat.alice.cookie);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        send(socket, { chatId: chat.chatId, body: `last words ${i}`, clientId: clientId() }),
      ),
    );
    socket.disconnect();
    await own.close();
    await slow.close();
    expect(slow.received.filter((p) => p.path === path)).toHaveLength(40);
  });
});

describe("push endpoints against request forgery", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.close());

  it.each([
    "http://push.example.org/abc",
    "https://127.0.0.1/abc",
    "https://localhost/abc",
    "https://10.1.2.3/abc",
    "https://192.168.1.1:8443/abc",
    "https://169.254.169.254/latest/meta-data",
    "https://[::1]/abc",
    "https://[::ffff:127.0.0.1]/abc",
    "https://[fd00::1]/abc",
    "https://user:pass@push.example.org/abc",
  ])("refuses %s without pushing to it", async (endpoint) => {
    const bob = await signUp(server.url, "bob");
    const reply = await bob.api<{ error: { fields: Record<string, string> } }>(
      "POST",
      "/api/push/subscriptions",
      {
        endpoint,
        keys: browserKeys().json,
      },
    );
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe("invalid_input");
    expect(reply.body.error.fields.endpoint).toBeTruthy();
  });

  it.each([
    ["8.8.8.8", true],
    ["142.250.185.78", true],
    ["2a00:1450:4001:80e::200e", true],
    ["127.0.0.1", false],
    ["10.0.0.1", false],
    ["172.31.255.255", false],
    ["100.64.0.1", false],
    ["169.254.1.1", false],
    ["0.0.0.0", false],
    ["224.0.0.1", false],
    ["::1", false],
    ["::", false],
    ["::ffff:10.0.0.1", false],
    ["::ffff:8.8.8.8", true],
    ["fe80::1", false],
    ["fc12::1", false],
    ["ff02::1", false],
    ["64:ff9b::7f00:1", false],
    ["not-an-ip", false],
  ])("isPublicAddress(%s) is %s", (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});
