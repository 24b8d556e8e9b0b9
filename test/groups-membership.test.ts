import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Chat, Message } from "../src/protocol/index.js";
import {
  clientId,
  closeAllSockets,
  collect,
  connected,
  errorCode,
  nextEvent,
  send,
} from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { createGroup, historyOf, rolesOf, systemEvents, users } from "./support/groups.js";
import { startServer, type TestServer } from "./support/server.js";

describe.each(DIALECTS)("group membership (%s)", (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ dialect, env: { GROUP_MAX_MEMBERS: "4" } });
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  it("removes a member: chat:left on every socket, out of the room and the list, 404 from then on", async () => {
    const [ann, ben, cy] = await users(server.url, "ann", "ben", "cy");
    if (!ann || !ben || !cy) throw new Error("users");
    const chatId = await createGroup(ann, [ben, cy]);
    const benTab1 = await connected(server.url, ben.cookie);
    const benTab2 = await connected(server.url, ben.cookie);
    const cySocket = await connected(server.url, cy.cookie);
    const left = [nextEvent(benTab1, "chat:left"), nextEvent(benTab2, "chat:left")];
    const benMessages = collect(benTab1, "message:new");
    const cyEntry = nextEvent(cySocket, "message:new");
    const cyUpdate = nextEvent(cySocket, "chat:updated");

    expect((await ann.api("DELETE", `/api/chats/${chatId}/members/${ben.user.id}`)).status).toBe(204);
    // Refused at once, even from a socket that was in the room.
    const late = await send(benTab1, { chatId, body: "still here?", clientId: clientId() });
    expect(late).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await Promise.all(left)).toEqual([{ chatId }, { chatId }]);
    expect((await cyEntry).system).toEqual({ event: "member_removed", userIds: [ben.user.id] });
    expect((await cyUpdate).members.map((m) => m.id)).not.toContain(ben.user.id);

    const list = await ben.api<{ chats: Chat[] }>("GET", "/api/chats");
    expect(list.body.chats.map((c) => c.id)).not.toContain(chatId);
    for (const [method, path, body] of [
      ["GET", `/api/chats/${chatId}/messages`],
      ["POST", `/api/chats/${chatId}/read`, { seq: 1 }],
      ["POST", `/api/chats/${chatId}/clear`, {}],
      ["DELETE", `/api/chats/${chatId}`],
      ["PATCH", `/api/chats/${chatId}`, { title: "x" }],
      ["DELETE", `/api/chats/${chatId}/members/${ben.user.id}`],
    ] as const) {
      const reply = await ben.api(method, path, body);
      expect(reply.status, `${method} ${path}`).toBe(404);
      expect(errorCode(reply)).toBe("not_found");
    }
    // The room no longer reaches Ben: Cy's next message in the group passes him by.
    const cyAck = await send(cySocket, { chatId, body: "after Ben", clientId: clientId() });
    expect(cyAck.ok).toBe(true);
    const marker = await ann.api<{ chat: Chat }>("POST", "/api/chats", { email: ben.email });
    const annSocket = await connected(server.url, ann.cookie);
    const markerSeen = nextEvent(benTab1, "message:new");
    await send(annSocket, { chatId: marker.body.chat.id, body: "marker", clientId: clientId() });
    expect((await markerSeen).body).toBe("marker");
    expect(benMessages.filter((m) => m.chatId === chatId)).toEqual([]);

    const again = await ann.api("DELETE", `/api/chats/${chatId}/members/${ben.user.id}`);
    expect(again.status).toBe(404);
    expect(errorCode(again)).toBe("not_found");
  });

  it("lets any member leave; the owner's leaving makes the longest-standing admin owner", async () => {
    const [ann, ben, cy, dee] = await users(server.url, "ann", "ben", "cy", "dee");
    if (!ann || !ben || !cy || !dee) throw new Error("users");
    const chatId = await createGroup(ann, [ben, cy]);
    expect((await ann.api("POST", `/api/chats/${chatId}/members`, { email: dee.email })).status).toBe(200);
    // Dee is made admin first, but Cy has been a member longer.
    for (const user of [dee, cy]) {
      const reply = await ann.api("PATCH", `/api/chats/${chatId}/members/${user.user.id}`, { role: "admin" });
      expect(reply.status).toBe(200);
    }
    const benSocket = await connected(server.url, ben.cookie);
    const update = nextEvent(benSocket, "chat:updated");

    expect((await ann.api("DELETE", `/api/chats/${chatId}/members/${ann.user.id}`)).status).toBe(204);
    const seen = await update;
    expect(rolesOf(seen)).toEqual({
      [ben.user.id]: "member",
      [cy.user.id]: "owner",
      [dee.user.id]: "admin",
    });
    expect(systemEvents(await historyOf(ben, chatId)).slice(-2)).toEqual([
      ["member_left", [ann.user.id], undefined],
      ["role_changed", [cy.user.id], undefined],
    ]);
    expect((await ann.api("GET", `/api/chats/${chatId}/messages`)).status).toBe(404);

    // Without admins the longest-standing member takes over.
    expect((await cy.api("DELETE", `/api/chats/${chatId}/members/${dee.user.id}`)).status).toBe(204);
    expect((await cy.api("DELETE", `/api/chats/${chatId}/members/${cy.user.id}`)).status).toBe(204);
    const list = await ben.api<{ chats: Chat[] }>("GET", "/api/chats");
    const chat = list.body.chats.find((c) => c.id === chatId);
    expect(chat && rolesOf(chat)).toEqual({ [ben.user.id]: "owner" });
  });

  it("deletes the group when its last member leaves", async () => {
    const [ann, ben] = await users(server.url, "ann", "ben");
    if (!ann || !ben) throw new Error("users");
    const chatId = await createGroup(ann, [ben]);
    expect((await ben.api("DELETE", `/api/chats/${chatId}/members/${ben.user.id}`)).status).toBe(204);
    const annSocket = await connected(server.url, ann.cookie);
    const left = nextEvent(annSocket, "chat:left");
    expect((await ann.api("DELETE", `/api/chats/${chatId}/members/${ann.user.id}`)).status).toBe(204);
    expect(await left).toEqual({ chatId });
    const rows = await server.app.database.db
      .selectFrom("chats")
      .select("id")
      .where("id", "=", chatId)
      .execute();
    expect(rows).toEqual([]);
    // Adding the former members back is impossible: the group is gone.
    expect((await ann.api("POST", `/api/chats/${chatId}/members`, { email: ben.email })).status).toBe(404);
  });

  it("a member added back sees the chat from their return on, not what they saw before", async () => {
    const [ann, ben, cy] = await users(server.url, "ann", "ben", "cy");
    if (!ann || !ben || !cy) throw new Error("users");
    const chatId = await createGroup(ann, [ben, cy]);
    const annSocket = await connected(server.url, ann.cookie);
    await send(annSocket, { chatId, body: "one", clientId: clientId() });
    expect((await ben.api("DELETE", `/api/chats/${chatId}/members/${ben.user.id}`)).status).toBe(204);
    await send(annSocket, { chatId, body: "while away", clientId: clientId() });
    const benSocket = await connected(server.url, ben.cookie);
    const back = nextEvent(benSocket, "chat:new");
    expect((await ann.api("POST", `/api/chats/${chatId}/members`, { email: ben.email })).status).toBe(200);
    expect(rolesOf(await back)[ben.user.id]).toBe("member");
    const history = await historyOf(ben, chatId);
    expect(history.map((m: Message) => m.system?.event ?? m.body)).toEqual(["member_added"]);
  });
});
