import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Chat, Message } from "../src/protocol/index.js";
import {
  clientId,
  closeAllSockets,
  connected,
  errorCode,
  eventually,
  nextEvent,
  send,
} from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { createGroup, historyOf, rolesOf, systemEvents, users } from "./support/groups.js";
import { startServer, type TestServer } from "./support/server.js";

describe.each(DIALECTS)("group chats (%s)", (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ dialect, env: { GROUP_MAX_MEMBERS: "4" } });
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  it("creates a group: the caller owns it, every listed user is a member and gets chat:new", async () => {
    const [ann, ben, cy] = await users(server.url, "ann", "ben", "cy");
    if (!ann || !ben || !cy) throw new Error("users");
    const benSocket = await connected(server.url, ben.cookie);
    const annOtherTab = await connected(server.url, ann.cookie);
    const benGetsChat = nextEvent(benSocket, "chat:new");
    const annTabGetsChat = nextEvent(annOtherTab, "chat:new");

    const reply = await ann.api<{ chat: Chat }>("POST", "/api/chats", {
      kind: "group",
      title: "  Book club ",
      emails: [ben.email.toUpperCase(), cy.email, ben.email],
    });
    expect(reply.status).toBe(201);
    const chat = reply.body.chat;
    expect(chat).toMatchObject({ kind: "group", title: "Book club", unread: 0 });
    expect(rolesOf(chat)).toEqual({
      [ann.user.id]: "owner",
      [ben.user.id]: "member",
      [cy.user.id]: "member",
    });
    expect(chat.lastMessage).toMatchObject({
      seq: 1,
      body: "",
      sender: { id: ann.user.id, username: ann.user.username },
      system: { event: "group_created", userIds: [ben.user.id, cy.user.id], title: "Book club" },
    });
    expect(JSON.stringify(chat)).not.toContain(ben.email);

    const seenByBen = await benGetsChat;
    expect(seenByBen).toMatchObject({ id: chat.id, kind: "group", title: "Book club", unread: 0 });
    expect((await annTabGetsChat).id).toBe(chat.id);
    // The new member's socket follows the group at once.
    const annSocket = await connected(server.url, ann.cookie);
    const toBen = nextEvent(benSocket, "message:new");
    const ack = await send(annSocket, { chatId: chat.id, body: "welcome", clientId: clientId() });
    expect(ack.ok).toBe(true);
    expect((await toBen).body).toBe("welcome");
    expect(systemEvents(await historyOf(cy, chat.id))).toEqual([
      ["group_created", [ben.user.id, cy.user.id], "Book club"],
    ]);
  });

  it("refuses a bad title, no or too many emails, one's own email, and names each unknown email", async () => {
    const [ann, ben, cy, dee, eve] = await users(server.url, "ann", "ben", "cy", "dee", "eve");
    if (!ann || !ben || !cy || !dee || !eve) throw new Error("users");
    const create = (body: unknown) => ann.api("POST", "/api/chats", body);
    const emails = [ben.email];
    for (const body of [
      { kind: "group", title: "", emails },
      { kind: "group", title: "   ", emails },
      { kind: "group", title: "x".repeat(101), emails },
      { kind: "group", title: "Club", emails: [] },
      { kind: "group", title: "Club", emails: ["not-an-email"] },
      { kind: "group", emails },
      { kind: "chat", title: "Club", emails },
      // GROUP_MAX_MEMBERS=4: the creator and at most three others.
      { kind: "group", title: "Club", emails: [ben.email, cy.email, dee.email, eve.email] },
      { kind: "group", title: "Club", emails: [ben.email, ann.email] },
    ]) {
      const reply = await create(body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(errorCode(reply)).toBe("invalid_input");
    }
    expect((await create({ kind: "group", title: "x".repeat(100), emails })).status).toBe(201);

    const unknown = await create({
      kind: "group",
      title: "Club",
      emails: ["nobody-1@example.com", ben.email, "nobody-2@example.com"],
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      error: {
        code: "user_not_found",
        message: expect.any(String),
        fields: { "emails.0": "No user has this email.", "emails.2": "No user has this email." },
      },
    });
    expect(JSON.stringify(unknown.body)).not.toContain("nobody-");

    // The direct chat keeps working on the same route.
    const direct = await ann.api<{ chat: Chat }>("POST", "/api/chats", { email: ben.email });
    expect(direct.status).toBe(201);
    expect(direct.body.chat.kind).toBe("direct");
  });

  it("renames a group: a system entry and chat:updated reach every member; plain members get 403", async () => {
    const [ann, ben] = await users(server.url, "ann", "ben");
    if (!ann || !ben) throw new Error("users");
    const chatId = await createGroup(ann, [ben]);
    const benSocket = await connected(server.url, ben.cookie);
    const entry = nextEvent(benSocket, "message:new");
    const updated = nextEvent(benSocket, "chat:updated");

    const reply = await ann.api<{ chat: Chat }>("PATCH", `/api/chats/${chatId}`, { title: "Poetry club" });
    expect(reply.status).toBe(200);
    expect(reply.body.chat.title).toBe("Poetry club");
    expect((await entry).system).toEqual({ event: "title_changed", userIds: [], title: "Poetry club" });
    const seen = await updated;
    expect(seen).toMatchObject({ id: chatId, title: "Poetry club" });
    expect(seen.lastMessage?.system?.event).toBe("title_changed");

    const byMember = await ben.api("PATCH", `/api/chats/${chatId}`, { title: "Mine now" });
    expect(byMember.status).toBe(403);
    expect(errorCode(byMember)).toBe("forbidden");
    expect((await ann.api("PATCH", `/api/chats/${chatId}`, { title: "" })).status).toBe(400);
    const direct = await ann.api<{ chat: Chat }>("POST", "/api/chats", { email: ben.email });
    expect((await ann.api("PATCH", `/api/chats/${direct.body.chat.id}`, { title: "Us" })).status).toBe(403);
  });

  it("adds a member, who gets chat:new and sees the chat from the entry that added them on", async () => {
    const [ann, ben, cy] = await users(server.url, "ann", "ben", "cy");
    if (!ann || !ben || !cy) throw new Error("users");
    const chatId = await createGroup(ann, [ben]);
    const annSocket = await connected(server.url, ann.cookie);
    expect((await send(annSocket, { chatId, body: "before Cy", clientId: clientId() })).ok).toBe(true);
    const cySocket = await connected(server.url, cy.cookie);
    const benSocket = await connected(server.url, ben.cookie);
    const cyGetsChat = nextEvent(cySocket, "chat:new");
    const benEntry = nextEvent(benSocket, "message:new");
    const benUpdate = nextEvent(benSocket, "chat:updated");

    const reply = await ann.api<{ chat: Chat }>("POST", `/api/chats/${chatId}/members`, { email: cy.email });
    expect(reply.status).toBe(200);
    expect(rolesOf(reply.body.chat)[cy.user.id]).toBe("member");
    const cyChat = await cyGetsChat;
    expect(cyChat).toMatchObject({ id: chatId, unread: 0 });
    expect(cyChat.lastMessage?.system).toEqual({ event: "member_added", userIds: [cy.user.id] });
    expect((await benEntry).system?.event).toBe("member_added");
    expect((await benUpdate).members.map((m) => m.id)).toContain(cy.user.id);
    // Cy sees nothing from before: the history starts at the entry that added them.
    const history = await historyOf(cy, chatId);
    expect(history.map((m) => [m.seq, m.system?.event ?? m.body])).toEqual([[3, "member_added"]]);
    // …and is in the room at once.
    const toCy = nextEvent(cySocket, "message:new");
    expect((await send(annSocket, { chatId, body: "hi Cy", clientId: clientId() })).ok).toBe(true);
    expect((await toCy).body).toBe("hi Cy");

    const again = await ann.api("POST", `/api/chats/${chatId}/members`, { email: cy.email });
    expect(again.status).toBe(400);
    expect(errorCode(again)).toBe("invalid_input");
    const unknown = await ann.api("POST", `/api/chats/${chatId}/members`, { email: "nobody@example.com" });
    expect(unknown.status).toBe(404);
    expect(errorCode(unknown)).toBe("user_not_found");
    const byMember = await ben.api("POST", `/api/chats/${chatId}/members`, { email: cy.email });
    expect(byMember.status).toBe(403);
  });

  it("refuses to add beyond GROUP_MAX_MEMBERS (400)", async () => {
    const [ann, ben, cy, dee, eve] = await users(server.url, "ann", "ben", "cy", "dee", "eve");
    if (!ann || !ben || !cy || !dee || !eve) throw new Error("users");
    const chatId = await createGroup(ann, [ben, cy, dee]);
    const full = await ann.api("POST", `/api/chats/${chatId}/members`, { email: eve.email });
    expect(full.status).toBe(400);
    expect(errorCode(full)).toBe("invalid_input");
    expect((await ann.api("DELETE", `/api/chats/${chatId}/members/${dee.user.id}`)).status).toBe(204);
    expect((await ann.api("POST", `/api/chats/${chatId}/members`, { email: eve.email })).status).toBe(200);
  });

  it("changes roles (owner only): an admin may then add, rename and remove members", async () => {
    const [ann, ben, cy, dee] = await users(server.url, "ann", "ben", "cy", "dee");
    if (!ann || !ben || !cy || !dee) throw new Error("users");
    const chatId = await createGroup(ann, [ben, cy]);
    const cySocket = await connected(server.url, cy.cookie);
    const entry = nextEvent(cySocket, "message:new");
    const promoted = await ann.api<{ chat: Chat }>("PATCH", `/api/chats/${chatId}/members/${ben.user.id}`, {
      role: "admin",
    });
    expect(promoted.status).toBe(200);
    expect(rolesOf(promoted.body.chat)[ben.user.id]).toBe("admin");
    expect((await entry).system).toEqual({ event: "role_changed", userIds: [ben.user.id] });

    expect((await ben.api("PATCH", `/api/chats/${chatId}`, { title: "Ben's" })).status).toBe(200);
    expect((await ben.api("POST", `/api/chats/${chatId}/members`, { email: dee.email })).status).toBe(200);
    const benPromotes = await ben.api("PATCH", `/api/chats/${chatId}/members/${cy.user.id}`, {
      role: "admin",
    });
    expect(benPromotes.status).toBe(403);
    const ownerDemoted = await ann.api("PATCH", `/api/chats/${chatId}/members/${ann.user.id}`, {
      role: "member",
    });
    expect(ownerDemoted.status).toBe(403);
    const badRole = await ann.api("PATCH", `/api/chats/${chatId}/members/${cy.user.id}`, { role: "owner" });
    expect(badRole.status).toBe(400);
    expect((await ann.api("PATCH", `/api/chats/${chatId}/members/nobody`, { role: "admin" })).status).toBe(
      404,
    );

    expect((await ben.api("DELETE", `/api/chats/${chatId}/members/${dee.user.id}`)).status).toBe(204);
    expect((await ben.api("DELETE", `/api/chats/${chatId}/members/${ann.user.id}`)).status).toBe(403);
    const demoted = await ann.api<{ chat: Chat }>("PATCH", `/api/chats/${chatId}/members/${ben.user.id}`, {
      role: "member",
    });
    expect(rolesOf(demoted.body.chat)[ben.user.id]).toBe("member");
    expect((await ben.api("DELETE", `/api/chats/${chatId}/members/${cy.user.id}`)).status).toBe(403);
    expect(systemEvents(await historyOf(ann, chatId)).map(([event]) => event)).toEqual([
      "group_created",
      "role_changed",
      "title_changed",
      "member_added",
      "member_removed",
      "role_changed",
    ]);
  });

  it("clearing a group for everyone is for its owner and admins; a direct chat stays as in v1", async () => {
    const [ann, ben, cy] = await users(server.url, "ann", "ben", "cy");
    if (!ann || !ben || !cy) throw new Error("users");
    const chatId = await createGroup(ann, [ben, cy]);
    await ann.api("PATCH", `/api/chats/${chatId}/members/${ben.user.id}`, { role: "admin" });
    const byMember = await cy.api("POST", `/api/chats/${chatId}/clear`, { forEveryone: true });
    expect(byMember.status).toBe(403);
    expect(errorCode(byMember)).toBe("forbidden");
    expect((await cy.api("POST", `/api/chats/${chatId}/clear`, {})).status).toBe(204);
    expect((await ben.api("POST", `/api/chats/${chatId}/clear`, { forEveryone: true })).status).toBe(204);
    expect((await ann.api("POST", `/api/chats/${chatId}/clear`, { forEveryone: true })).status).toBe(204);
    const direct = await cy.api<{ chat: Chat }>("POST", "/api/chats", { email: ben.email });
    const clearDirect = await cy.api("POST", `/api/chats/${direct.body.chat.id}/clear`, {
      forEveryone: true,
    });
    expect(clearDirect.status).toBe(204);
  });

  it("chat:updated shows each member the chat as their own list does (unread, last message, cursor)", async () => {
    const [ann, ben, cy] = await users(server.url, "ann", "ben", "cy");
    if (!ann || !ben || !cy) throw new Error("users");
    const chatId = await createGroup(ann, [ben, cy]);
    const annSocket = await connected(server.url, ann.cookie);
    const sent: Message[] = [];
    for (const body of ["one", "two", "three"]) {
      const ack = await send(annSocket, { chatId, body, clientId: clientId() });
      if (ack.ok) sent.push(ack.message);
    }
    // Ben hides the newest message for himself and has read the first; Cy read nothing.
    expect((await ben.api("DELETE", `/api/chats/${chatId}/messages/${sent[2]?.id}?for=me`)).status).toBe(204);
    expect((await ben.api("POST", `/api/chats/${chatId}/read`, { seq: sent[0]?.seq })).status).toBe(204);
    const sockets = {
      ann: annSocket,
      ben: await connected(server.url, ben.cookie),
      cy: await connected(server.url, cy.cookie),
    };
    const updates = Object.fromEntries(
      Object.entries(sockets).map(([name, socket]) => [name, nextEvent(socket, "chat:updated")]),
    );
    expect((await ann.api("PATCH", `/api/chats/${chatId}`, { title: "Views" })).status).toBe(200);
    for (const [name, user] of Object.entries({ ann, ben, cy })) {
      const seen = await updates[name];
      const list = await user.api<{ chats: Chat[] }>("GET", "/api/chats");
      expect(seen, name).toEqual(list.body.chats.find((c) => c.id === chatId));
    }
    expect((await updates.ben)?.unread).toBe(1);
    expect((await updates.cy)?.unread).toBe(3);
  });

  it("system entries never count as unread, and bring a chat removed from the list back", async () => {
    const [ann, ben] = await users(server.url, "ann", "ben");
    if (!ann || !ben) throw new Error("users");
    const chatId = await createGroup(ann, [ben]);
    expect((await ben.api("DELETE", `/api/chats/${chatId}`)).status).toBe(204);
    const benSocket = await connected(server.url, ben.cookie);
    const back = nextEvent(benSocket, "chat:new");
    await ann.api("PATCH", `/api/chats/${chatId}`, { title: "Renamed" });
    expect(await back).toMatchObject({ id: chatId, title: "Renamed", unread: 0 });
    await eventually(async () => {
      const list = await ben.api<{ chats: Chat[] }>("GET", "/api/chats");
      expect(list.body.chats.find((c) => c.id === chatId)?.unread).toBe(0);
    });
  });
});
