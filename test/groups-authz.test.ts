import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Chat } from "../src/protocol/index.js";
import {
  clientId,
  closeAllSockets,
  collect,
  connected,
  errorCode,
  nextEvent,
  send,
  type TestUser,
} from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { createGroup, users } from "./support/groups.js";
import { startServer, type TestServer } from "./support/server.js";

type Actor = "owner" | "admin" | "member" | "removed" | "outsider";
const ACTORS: Actor[] = ["owner", "admin", "member", "removed", "outsider"];

interface Cast {
  owner: TestUser;
  admin: TestUser;
  admin2: TestUser;
  member: TestUser;
  target: TestUser;
  removed: TestUser;
  outsider: TestUser;
  newcomer: TestUser;
}

/** What one request or event answers: the HTTP status, or the ack (`ok` / error code). */
type Outcome = number | string;

interface Row {
  action: string;
  run: (actor: TestUser, chatId: string, cast: Cast, baseUrl: string) => Promise<Outcome>;
  expected: Record<Actor, Outcome>;
}

/** The id of a chat's first message (a group's `group_created` entry). */
const firstMessage = (chatId: string) => `${chatId}-${"1".padStart(10, "0")}`;

const status = (reply: Promise<{ status: number }>) => reply.then((r) => r.status);

async function sendAs(baseUrl: string, actor: TestUser, chatId: string): Promise<Outcome> {
  const socket = await connected(baseUrl, actor.cookie);
  const ack = await send(socket, { chatId, body: "hello", clientId: clientId() });
  socket.disconnect();
  return ack.ok ? "ok" : ack.error.code;
}

/** Every group route and event × who asks. Targets are other members unless the row says so. */
const GROUP_TABLE: Row[] = [
  {
    action: "PATCH /api/chats/:id (rename)",
    run: (a, id) => status(a.api("PATCH", `/api/chats/${id}`, { title: "New name" })),
    expected: { owner: 200, admin: 200, member: 403, removed: 404, outsider: 404 },
  },
  {
    action: "POST /api/chats/:id/members",
    run: (a, id, c) => status(a.api("POST", `/api/chats/${id}/members`, { email: c.newcomer.email })),
    expected: { owner: 200, admin: 200, member: 403, removed: 404, outsider: 404 },
  },
  {
    action: "PATCH /api/chats/:id/members/:member {role: admin}",
    run: (a, id, c) =>
      status(a.api("PATCH", `/api/chats/${id}/members/${c.target.user.id}`, { role: "admin" })),
    expected: { owner: 200, admin: 403, member: 403, removed: 404, outsider: 404 },
  },
  {
    action: "PATCH /api/chats/:id/members/:admin {role: member}",
    run: (a, id, c) =>
      status(a.api("PATCH", `/api/chats/${id}/members/${c.admin2.user.id}`, { role: "member" })),
    expected: { owner: 200, admin: 403, member: 403, removed: 404, outsider: 404 },
  },
  {
    action: "DELETE /api/chats/:id/members/:member",
    run: (a, id, c) => status(a.api("DELETE", `/api/chats/${id}/members/${c.target.user.id}`)),
    expected: { owner: 204, admin: 204, member: 403, removed: 404, outsider: 404 },
  },
  {
    action: "DELETE /api/chats/:id/members/:admin",
    run: (a, id, c) => status(a.api("DELETE", `/api/chats/${id}/members/${c.admin2.user.id}`)),
    expected: { owner: 204, admin: 403, member: 403, removed: 404, outsider: 404 },
  },
  {
    // The owner removing themselves is leaving.
    action: "DELETE /api/chats/:id/members/:owner",
    run: (a, id, c) => status(a.api("DELETE", `/api/chats/${id}/members/${c.owner.user.id}`)),
    expected: { owner: 204, admin: 403, member: 403, removed: 404, outsider: 404 },
  },
  {
    action: "DELETE /api/chats/:id/members/:self (leave)",
    run: (a, id) => status(a.api("DELETE", `/api/chats/${id}/members/${a.user.id}`)),
    expected: { owner: 204, admin: 204, member: 204, removed: 404, outsider: 404 },
  },
  {
    action: "DELETE /api/chats/:id/members/:non-member",
    run: (a, id, c) => status(a.api("DELETE", `/api/chats/${id}/members/${c.outsider.user.id}`)),
    expected: { owner: 404, admin: 404, member: 404, removed: 404, outsider: 404 },
  },
  {
    action: "DELETE /api/chats/:id/members/:removed member",
    run: (a, id, c) => status(a.api("DELETE", `/api/chats/${id}/members/${c.removed.user.id}`)),
    expected: { owner: 404, admin: 404, member: 404, removed: 404, outsider: 404 },
  },
  {
    action: "POST /api/chats/:id/clear {forEveryone: true}",
    run: (a, id) => status(a.api("POST", `/api/chats/${id}/clear`, { forEveryone: true })),
    expected: { owner: 204, admin: 204, member: 403, removed: 404, outsider: 404 },
  },
  {
    action: "POST /api/chats/:id/clear (for me)",
    run: (a, id) => status(a.api("POST", `/api/chats/${id}/clear`, {})),
    expected: { owner: 204, admin: 204, member: 204, removed: 404, outsider: 404 },
  },
  {
    action: "DELETE /api/chats/:id (remove from my list)",
    run: (a, id) => status(a.api("DELETE", `/api/chats/${id}`)),
    expected: { owner: 204, admin: 204, member: 204, removed: 404, outsider: 404 },
  },
  {
    action: "GET /api/chats/:id/messages",
    run: (a, id) => status(a.api("GET", `/api/chats/${id}/messages`)),
    expected: { owner: 200, admin: 200, member: 200, removed: 404, outsider: 404 },
  },
  {
    action: "POST /api/chats/:id/read",
    run: (a, id) => status(a.api("POST", `/api/chats/${id}/read`, { seq: 1 })),
    expected: { owner: 204, admin: 204, member: 204, removed: 404, outsider: 404 },
  },
  {
    action: "GET /api/chats/:id/changes",
    run: (a, id) => status(a.api("GET", `/api/chats/${id}/changes`)),
    expected: { owner: 200, admin: 200, member: 200, removed: 404, outsider: 404 },
  },
  {
    action: "PUT …/messages/:system message/reactions/:emoji",
    run: (a, id) =>
      status(
        a.api("PUT", `/api/chats/${id}/messages/${firstMessage(id)}/reactions/${encodeURIComponent("👍")}`),
      ),
    expected: { owner: 200, admin: 200, member: 200, removed: 404, outsider: 404 },
  },
  {
    action: "DELETE …/messages/:system message?for=me",
    run: (a, id) => status(a.api("DELETE", `/api/chats/${id}/messages/${firstMessage(id)}?for=me`)),
    expected: { owner: 204, admin: 204, member: 204, removed: 404, outsider: 404 },
  },
  {
    // A system message is the group's record: nobody rewrites or deletes it.
    action: "PATCH …/messages/:system message",
    run: (a, id) =>
      status(a.api("PATCH", `/api/chats/${id}/messages/${firstMessage(id)}`, { body: "rewritten" })),
    expected: { owner: 403, admin: 403, member: 403, removed: 404, outsider: 404 },
  },
  {
    action: "DELETE …/messages/:system message?for=everyone",
    run: (a, id) => status(a.api("DELETE", `/api/chats/${id}/messages/${firstMessage(id)}?for=everyone`)),
    expected: { owner: 403, admin: 403, member: 403, removed: 404, outsider: 404 },
  },
  {
    action: "message:send",
    run: (a, id, _c, url) => sendAs(url, a, id),
    expected: { owner: "ok", admin: "ok", member: "ok", removed: "not_found", outsider: "not_found" },
  },
];

/** The same routes on a direct chat: nothing to manage (403) for its members, 404 for others. */
const DIRECT_TABLE: { action: string; run: Row["run"]; member: Outcome; outsider: Outcome }[] = [
  {
    action: "PATCH /api/chats/:id",
    run: (a, id) => status(a.api("PATCH", `/api/chats/${id}`, { title: "Us" })),
    member: 403,
    outsider: 404,
  },
  {
    action: "POST /api/chats/:id/members",
    run: (a, id, c) => status(a.api("POST", `/api/chats/${id}/members`, { email: c.newcomer.email })),
    member: 403,
    outsider: 404,
  },
  {
    action: "PATCH /api/chats/:id/members/:other",
    run: (a, id, c) =>
      status(a.api("PATCH", `/api/chats/${id}/members/${c.target.user.id}`, { role: "admin" })),
    member: 403,
    outsider: 404,
  },
  {
    action: "DELETE /api/chats/:id/members/:other",
    run: (a, id, c) => status(a.api("DELETE", `/api/chats/${id}/members/${c.target.user.id}`)),
    member: 403,
    outsider: 404,
  },
  {
    action: "DELETE /api/chats/:id/members/:self",
    run: (a, id) => status(a.api("DELETE", `/api/chats/${id}/members/${a.user.id}`)),
    member: 403,
    outsider: 404,
  },
  {
    action: "POST /api/chats/:id/clear {forEveryone: true}",
    run: (a, id) => status(a.api("POST", `/api/chats/${id}/clear`, { forEveryone: true })),
    member: 204,
    outsider: 404,
  },
];

describe.each(DIALECTS)("who may do what in a group (%s)", (dialect) => {
  let server: TestServer;
  let cast: Cast;
  beforeAll(async () => {
    server = await startServer({ dialect });
    const [owner, admin, admin2, member, target, removed, outsider, newcomer] = await users(
      server.url,
      "owner",
      "admin",
      "admintwo",
      "member",
      "target",
      "removed",
      "outsider",
      "newcomer",
    );
    cast = { owner, admin, admin2, member, target, removed, outsider, newcomer } as Cast;
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  /** A fresh group: owner, two admins, two members, and one member already removed. */
  async function freshGroup(): Promise<string> {
    const chatId = await createGroup(cast.owner, [
      cast.admin,
      cast.admin2,
      cast.member,
      cast.target,
      cast.removed,
    ]);
    for (const user of [cast.admin, cast.admin2]) {
      const reply = await cast.owner.api("PATCH", `/api/chats/${chatId}/members/${user.user.id}`, {
        role: "admin",
      });
      if (reply.status !== 200) throw new Error(`promotion failed: ${reply.status}`);
    }
    const removal = await cast.owner.api("DELETE", `/api/chats/${chatId}/members/${cast.removed.user.id}`);
    if (removal.status !== 204) throw new Error(`removal failed: ${removal.status}`);
    return chatId;
  }

  it.each(GROUP_TABLE)("$action", async (row) => {
    const outcomes: Record<string, Outcome> = {};
    for (const actor of ACTORS) {
      const chatId = await freshGroup();
      outcomes[actor] = await row.run(cast[actor], chatId, cast, server.url);
    }
    expect(outcomes).toEqual(row.expected);
  });

  it.each(DIRECT_TABLE)("direct chat: $action", async (row) => {
    const direct = await cast.member.api<{ chat: Chat }>("POST", "/api/chats", { email: cast.target.email });
    const chatId = direct.body.chat.id;
    const outcomes = {
      member: await row.run(cast.member, chatId, cast, server.url),
      outsider: await row.run(cast.outsider, chatId, cast, server.url),
    };
    expect(outcomes).toEqual({ member: row.member, outsider: row.outsider });
    if (row.member === 403) {
      const reply = await cast.member.api("PATCH", `/api/chats/${chatId}`, { title: "Us" });
      expect(errorCode(reply)).toBe("forbidden");
    }
  });

  it("a removed member who was offline reconnects to no events of the group and 404s", async () => {
    const chatId = await freshGroup();
    // `removed` was offline when it happened; now they come back.
    const socket = await connected(server.url, cast.removed.cookie);
    const seen = collect(socket, "message:new");
    const updates = collect(socket, "chat:updated");
    const ownerSocket = await connected(server.url, cast.owner.cookie);
    expect((await send(ownerSocket, { chatId, body: "after", clientId: clientId() })).ok).toBe(true);
    expect((await cast.owner.api("PATCH", `/api/chats/${chatId}`, { title: "Renamed" })).status).toBe(200);
    const refused = await send(socket, { chatId, body: "let me in", clientId: clientId() });
    expect(refused).toMatchObject({ ok: false, error: { code: "not_found" } });
    // A message in a chat they do share arrives: everything before it would have too.
    const direct = await cast.owner.api<{ chat: Chat }>("POST", "/api/chats", { email: cast.removed.email });
    const marker = nextEvent(socket, "message:new");
    await send(ownerSocket, { chatId: direct.body.chat.id, body: "marker", clientId: clientId() });
    expect((await marker).body).toBe("marker");
    expect(seen.filter((m) => m.chatId === chatId)).toEqual([]);
    expect(updates.filter((c) => c.id === chatId)).toEqual([]);
    const list = await cast.removed.api<{ chats: Chat[] }>("GET", "/api/chats");
    expect(list.body.chats.map((c) => c.id)).not.toContain(chatId);
    expect((await cast.removed.api("GET", `/api/chats/${chatId}/messages`)).status).toBe(404);
  });
});
