import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Chat, PresenceEvent } from "../src/protocol/index.js";
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

const memberOf = (chats: Chat[], chatId: string, userId: string) =>
  chats.find((c) => c.id === chatId)?.members.find((m) => m.id === userId);

describe.each(DIALECTS)("presence, typing and read receipts (%s)", (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ dialect });
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  it("keeps a user with 3 tabs online until the last one closes, then stores and shows lastSeenAt", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const aliceSocket = await connected(server.url, alice.cookie);
    const seen = collect(aliceSocket, "presence");
    const tabs = [];
    for (let i = 0; i < 3; i++) tabs.push(await connected(server.url, bob.cookie));
    await eventually(() => expect(seen).toEqual([{ userId: bob.user.id, online: true, lastSeenAt: null }]));
    const listed = await alice.api<{ chats: Chat[] }>("GET", "/api/chats");
    expect(memberOf(listed.body.chats, chatId, bob.user.id)).toMatchObject({
      online: true,
      lastSeenAt: null,
    });

    tabs[0]?.disconnect();
    tabs[1]?.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen).toHaveLength(1);
    const before = Date.now();
    tabs[2]?.disconnect();
    await eventually(() => expect(seen).toHaveLength(2));
    const offline = seen[1] as PresenceEvent;
    expect(offline).toMatchObject({ userId: bob.user.id, online: false });
    expect(Date.parse(offline.lastSeenAt ?? "")).toBeGreaterThanOrEqual(before - 1000);
    const after = await alice.api<{ chats: Chat[] }>("GET", "/api/chats");
    expect(memberOf(after.body.chats, chatId, bob.user.id)).toEqual(
      expect.objectContaining({ online: false, lastSeenAt: offline.lastSeenAt }),
    );
    // Back online: lastSeenAt is the previous last-seen time.
    await connected(server.url, bob.cookie);
    await eventually(() =>
      expect(seen[2]).toEqual({ userId: bob.user.id, online: true, lastSeenAt: offline.lastSeenAt }),
    );
  });

  it("announces a user once to each distinct peer, however many chats they share", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const cam = await signUp(server.url, "cam");
    await alice.api("POST", "/api/chats", { email: cam.email });
    await alice.api("POST", "/api/chats", { kind: "group", title: "g1", emails: [bob.email, cam.email] });
    await alice.api("POST", "/api/chats", { kind: "group", title: "g2", emails: [bob.email, cam.email] });
    const bobSocket = await connected(server.url, bob.cookie);
    const camSocket = await connected(server.url, cam.cookie);
    const toBob = collect(bobSocket, "presence");
    const toCam = collect(camSocket, "presence");
    await connected(server.url, alice.cookie);
    await eventually(() => {
      expect(toBob.filter((e) => e.userId === alice.user.id)).toHaveLength(1);
      expect(toCam.filter((e) => e.userId === alice.user.id)).toHaveLength(1);
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(toBob.filter((e) => e.userId === alice.user.id)).toHaveLength(1);
    expect(chatId).toBeTruthy();
  });

  it("a user with 100 chats with 50 distinct peers connecting sends 50 presence events, one per peer", async () => {
    const hub = await signUp(server.url, "hub");
    const peers = [];
    for (let i = 0; i < 50; i++) peers.push(await signUp(server.url, `peer${i}`));
    for (const peer of peers) await hub.api("POST", "/api/chats", { email: peer.email });
    for (let i = 0; i < 50; i++) {
      const emails = [peers[i]?.email, peers[(i + 1) % 50]?.email];
      await hub.api("POST", "/api/chats", { kind: "group", title: `g${i}`, emails });
    }
    const listed = await hub.api<{ chats: Chat[] }>("GET", "/api/chats");
    expect(listed.body.chats).toHaveLength(100);
    const received = await Promise.all(
      peers.map(async (peer) => collect(await connected(server.url, peer.cookie), "presence")),
    );
    await connected(server.url, hub.cookie);
    await eventually(() => expect(received.flat().filter((e) => e.userId === hub.user.id)).toHaveLength(50));
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const events of received) expect(events.filter((e) => e.userId === hub.user.id)).toHaveLength(1);
  }, 120_000);

  it("sends typing to the other members, renews it, and ends it at once when the typist disconnects", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const stranger = await signUp(server.url, "eve");
    const aliceSocket = await connected(server.url, alice.cookie);
    const bobSocket = await connected(server.url, bob.cookie);
    const eveSocket = await connected(server.url, stranger.cookie);
    const toAlice = collect(aliceSocket, "typing");
    const toEve = collect(eveSocket, "typing");
    const toBob = collect(bobSocket, "typing");

    expect(await bobSocket.timeout(5000).emitWithAck("typing:start", { chatId })).toEqual({ ok: true });
    await eventually(() => expect(toAlice).toEqual([{ chatId, userId: bob.user.id, typing: true }]));
    // A non-member may not signal, and learns nothing.
    const refused = await eveSocket.timeout(5000).emitWithAck("typing:start", { chatId });
    expect(refused).toMatchObject({ ok: false, error: { code: "not_found" } });
    const bad = await eveSocket.timeout(5000).emitWithAck("typing:start", { chatId: 42 } as never);
    expect(bad).toMatchObject({ ok: false, error: { code: "invalid_input" } });

    bobSocket.disconnect();
    await eventually(
      () => expect(toAlice.at(-1)).toEqual({ chatId, userId: bob.user.id, typing: false }),
      1000,
    );
    expect(toEve).toEqual([]);
    expect(toBob).toEqual([]);
  });

  it("ends a typing state 6 s after the last typing:start, and at once on typing:stop", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const aliceSocket = await connected(server.url, alice.cookie);
    const bobSocket = await connected(server.url, bob.cookie);
    const toAlice = collect(aliceSocket, "typing");
    const startedAt = Date.now();
    await bobSocket.timeout(5000).emitWithAck("typing:start", { chatId });
    await eventually(() => expect(toAlice.map((e) => e.typing)).toEqual([true, false]), 10_000);
    const elapsed = Date.now() - startedAt;
    expect(elapsed).toBeGreaterThanOrEqual(5900);
    // 6 s, plus the fan-out's audience query on a loaded machine.
    expect(elapsed).toBeLessThan(9000);

    await bobSocket.timeout(5000).emitWithAck("typing:start", { chatId });
    await bobSocket.timeout(5000).emitWithAck("typing:stop", { chatId });
    await eventually(() => expect(toAlice.map((e) => e.typing)).toEqual([true, false, true, false]), 3000);
  }, 20_000);

  it("tells the other member how far someone read, from the read route and the newest page", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const aliceSocket = await connected(server.url, alice.cookie);
    for (const body of ["one", "two", "three"])
      await send(aliceSocket, { chatId, body, clientId: clientId() });
    const reads = collect(aliceSocket, "chat:read");
    expect((await bob.api("POST", `/api/chats/${chatId}/read`, { seq: 2 })).status).toBe(204);
    await eventually(() => expect(reads).toEqual([{ chatId, userId: bob.user.id, seq: 2 }]));
    await bob.api("GET", `/api/chats/${chatId}/messages`);
    await eventually(() => expect(reads.at(-1)).toEqual({ chatId, userId: bob.user.id, seq: 3 }));
    const listed = await alice.api<{ chats: Chat[] }>("GET", "/api/chats");
    expect(memberOf(listed.body.chats, chatId, bob.user.id)?.readSeq).toBe(3);
    // Nothing read yet is null, not 0.
    const bobView = await bob.api<{ chats: Chat[] }>("GET", "/api/chats");
    expect(memberOf(bobView.body.chats, chatId, alice.user.id)?.readSeq).toBeNull();
    expect(memberOf(bobView.body.chats, chatId, bob.user.id)?.readSeq).toBe(3);
    const next = nextEvent(aliceSocket, "chat:read", 500).catch(() => "none");
    await bob.api("POST", `/api/chats/${chatId}/read`, { seq: 1 });
    expect(await next).toBe("none");
  });
});
