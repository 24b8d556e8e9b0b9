import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Chat } from "../src/protocol/index.js";
import { closeAllSockets, collect, connected, eventually, pair, signUp } from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { startServer, type TestServer } from "./support/server.js";

const memberOf = (chats: Chat[], chatId: string, userId: string) =>
  chats.find((c) => c.id === chatId)?.members.find((m) => m.id === userId);

describe.each(DIALECTS)("blocking stops typing, presence and receipts both ways (%s)", (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ dialect });
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  it("a blocked pair sees no typing, no online state and no read position of each other, until unblocked", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    expect((await bob.api("POST", `/api/chats/${chatId}/accept`)).status).toBe(200);
    await alice.api("POST", `/api/chats/${chatId}/read`, { seq: 0 });
    expect((await bob.api("PUT", `/api/me/blocks/${alice.user.id}`)).status).toBe(204);

    const aliceSocket = await connected(server.url, alice.cookie);
    const bobSocket = await connected(server.url, bob.cookie);
    const aliceHears = collect(aliceSocket, "typing");
    const bobHears = collect(bobSocket, "typing");
    const bobPresence = collect(bobSocket, "presence");
    aliceSocket.emit("typing:start", { chatId });
    bobSocket.emit("typing:start", { chatId });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(aliceHears).toEqual([]);
    expect(bobHears).toEqual([]);

    for (const [viewer, other] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      const list = await viewer.api<{ chats: Chat[] }>("GET", "/api/chats");
      const member = memberOf(list.body.chats, chatId, other.user.id);
      expect(member).toMatchObject({ online: null, lastSeenAt: null, readSeq: null });
    }

    // Unblocked: signals pass again (a new typing state reaches the other side).
    expect((await bob.api("DELETE", `/api/me/blocks/${alice.user.id}`)).status).toBe(204);
    aliceSocket.emit("typing:stop", { chatId });
    aliceSocket.emit("typing:start", { chatId });
    await eventually(() => expect(bobHears.some((e) => e.userId === alice.user.id && e.typing)).toBe(true));
    const list = await bob.api<{ chats: Chat[] }>("GET", "/api/chats");
    expect(memberOf(list.body.chats, chatId, alice.user.id)).toMatchObject({ online: true });
    expect(bobPresence.every((e) => e.userId !== alice.user.id || e.online !== true)).toBe(true);
  });

  it("a group change announced to a blocked pair shows neither the other's online state nor read position", async () => {
    const [ann, ben, cat] = await Promise.all([
      signUp(server.url, "ann"),
      signUp(server.url, "ben"),
      signUp(server.url, "cat"),
    ]);
    const created = await cat.api<{ chat: Chat }>("POST", "/api/chats", {
      kind: "group",
      title: "three",
      emails: [ann.email, ben.email],
    });
    const chatId = created.body.chat.id;
    await ann.api("POST", `/api/chats/${chatId}/read`, { seq: 1 });
    await ben.api("POST", `/api/chats/${chatId}/read`, { seq: 1 });
    expect((await ben.api("PUT", `/api/me/blocks/${ann.user.id}`)).status).toBe(204);
    const annSocket = await connected(server.url, ann.cookie);
    const benSocket = await connected(server.url, ben.cookie);
    const catSocket = await connected(server.url, cat.cookie);
    const annUpdates = collect(annSocket, "chat:updated");
    const benUpdates = collect(benSocket, "chat:updated");
    const catUpdates = collect(catSocket, "chat:updated");

    expect((await cat.api("PATCH", `/api/chats/${chatId}`, { title: "renamed" })).status).toBe(200);
    await eventually(() => {
      expect(annUpdates.some((c) => c.id === chatId && c.title === "renamed")).toBe(true);
      expect(benUpdates.some((c) => c.id === chatId && c.title === "renamed")).toBe(true);
      expect(catUpdates.some((c) => c.id === chatId && c.title === "renamed")).toBe(true);
    });
    const latest = (updates: Chat[]) => updates.filter((c) => c.id === chatId).at(-1) as Chat;
    for (const [updates, otherId] of [
      [annUpdates, ben.user.id],
      [benUpdates, ann.user.id],
    ] as const) {
      const member = memberOf([latest(updates)], chatId, otherId);
      expect(member).toMatchObject({ online: null, lastSeenAt: null, readSeq: null });
    }
    // Control: the third member sees both as usual.
    for (const id of [ann.user.id, ben.user.id]) {
      expect(memberOf([latest(catUpdates)], chatId, id)).toMatchObject({ online: true, readSeq: 1 });
    }
  });
});
