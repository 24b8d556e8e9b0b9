import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Chat, Message, User } from "../src/protocol/index.js";
import {
  clientId,
  closeAllSockets,
  collect,
  connected,
  errorCode,
  eventually,
  pair,
  request,
  send,
  signUp,
  type TestUser,
} from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { startServer, type TestServer } from "./support/server.js";
import { unzip } from "./support/unzip.js";

describe.each(DIALECTS)("export and account deletion (%s)", (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ dialect });
  });
  afterAll(async () => {
    closeAllSockets();
    await server?.close();
  });

  async function say(user: TestUser, chatId: string, body: string): Promise<Message> {
    const socket = await connected(server.url, user.cookie);
    const ack = (await send(socket, { chatId, body, clientId: clientId() })) as {
      ok: boolean;
      message: Message;
    };
    socket.disconnect();
    expect(ack.ok).toBe(true);
    return ack.message;
  }

  async function exportOf(user: TestUser) {
    const response = await fetch(`${server.url}/api/me/export`, { headers: { cookie: user.cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="glasschat-/);
    return unzip(Buffer.from(await response.arrayBuffer()));
  }

  const historyOf = async (user: TestUser, chatId: string) =>
    (await user.api<{ messages: Message[] }>("GET", `/api/chats/${chatId}/messages`)).body.messages;

  it("exports exactly what the user can see: nothing cleared or hidden for them, nothing of chats they left", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const carl = await signUp(server.url, "carl");
    await say(alice, chatId, "before the clear");
    await alice.api("POST", `/api/chats/${chatId}/clear`, {});
    const kept = await say(bob, chatId, `<b>bold</b> & "quoted" <script>alert(1)</script>`);
    const hidden = await say(bob, chatId, "hidden for alice");
    await alice.api("DELETE", `/api/chats/${chatId}/messages/${hidden.id}?for=me`);
    const gone = await say(alice, chatId, "deleted for everyone");
    await alice.api("DELETE", `/api/chats/${chatId}/messages/${gone.id}?for=everyone`);
    const group = await alice.api<{ chat: Chat }>("POST", "/api/chats", {
      kind: "group",
      title: "left behind",
      emails: [bob.email, carl.email],
    });
    await say(alice, group.body.chat.id, "in the group I left");
    await alice.api("DELETE", `/api/chats/${group.body.chat.id}/members/${alice.user.id}`);

    const files = await exportOf(alice);
    expect([...files.keys()].sort()).toEqual([
      "account.json",
      "chats.json",
      `chats/${chatId}.json`,
      "index.html",
    ]);
    const account = JSON.parse(files.get("account.json")?.toString() ?? "") as { user: User };
    expect(account.user).toMatchObject({
      id: alice.user.id,
      email: alice.email,
      username: alice.user.username,
    });
    const chats = JSON.parse(files.get("chats.json")?.toString() ?? "") as { chats: Chat[] };
    expect(chats.chats.map((c) => [c.id, c.title])).toEqual([[chatId, bob.user.username]]);
    const messages = JSON.parse(files.get(`chats/${chatId}.json`)?.toString() ?? "") as {
      messages: Message[];
    };
    expect(messages.messages.map((m) => [m.id, m.body, m.deletedAt !== null])).toEqual([
      [kept.id, kept.body, false],
      [gone.id, "", true],
    ]);
    const html = files.get("index.html")?.toString() ?? "";
    expect(html).toContain(
      "&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; &lt;script&gt;alert(1)&lt;/script&gt;",
    );
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<b>bold");
    for (const absent of [
      "before the clear",
      "hidden for alice",
      "deleted for everyone",
      "in the group I left",
      "left behind",
    ]) {
      expect(
        [...files.values()].some((file) => file.toString().includes(absent)),
        absent,
      ).toBe(false);
    }
  });

  it("never lets anyone sign up as deleted-user, even before any account was deleted", async () => {
    const fresh = await startServer({ dialect });
    try {
      const reply = await request(fresh.url, "POST", "/api/auth/register", {
        body: { email: `x${clientId()}@example.com`, username: "deleted-user", password: "a long password" },
      });
      expect(reply.status).toBe(409);
      expect(errorCode(reply)).toBe("username_taken");
    } finally {
      await fresh.close();
    }
  });

  it("refuses an export without a session", async () => {
    const reply = await request(server.url, "GET", "/api/me/export");
    expect(reply.status).toBe(401);
    expect(errorCode(reply)).toBe("unauthorized");
  });

  it("keep: the other member sees the messages from deleted-user; sessions and sockets end; email and username are free", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const sent = await say(bob, chatId, "remember me");
    const bobSocket = await connected(server.url, bob.cookie);
    const aliceSocket = await connected(server.url, alice.cookie);
    const updates = collect(aliceSocket, "chat:updated");
    const disconnected = new Promise((resolve) => bobSocket.once("disconnect", resolve));

    const reply = await bob.api("DELETE", "/api/me", { password: bob.password, messages: "keep" });
    expect(reply.status).toBe(204);
    await disconnected;
    expect((await bob.api("GET", "/api/me")).status).toBe(401);
    const [message] = await historyOf(alice, chatId);
    expect(message).toMatchObject({
      id: sent.id,
      body: "remember me",
      sender: { id: bob.user.id, username: "deleted-user" },
    });
    const list = await alice.api<{ chats: Chat[] }>("GET", "/api/chats");
    expect(list.body.chats.find((c) => c.id === chatId)?.title).toBe("deleted-user");
    await eventually(() =>
      expect(updates.some((c) => c.id === chatId && c.title === "deleted-user")).toBe(true),
    );
    const login = await request(server.url, "POST", "/api/auth/login", {
      body: { email: bob.email, password: bob.password },
    });
    expect(login.status).toBe(401);
    const again = await request(server.url, "POST", "/api/auth/register", {
      body: { email: bob.email, username: bob.user.username, password: "another long password" },
    });
    expect(again.status).toBe(201);
    const reserved = await request(server.url, "POST", "/api/auth/register", {
      body: {
        email: `x${clientId()}@example.com`,
        username: "deleted-user",
        password: "another long password",
      },
    });
    expect(errorCode(reserved)).toBe("username_taken");
  });

  it("erase: the messages become tombstones with the same sender, announced like a delete for everyone; reactions are taken back; groups pass on", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const first = await say(bob, chatId, "erase me");
    const reply = await alice.api<{ messages: Message[] }>("GET", `/api/chats/${chatId}/messages`);
    const before = reply.body.messages.find((m) => m.id === first.id);
    const group = await bob.api<{ chat: Chat }>("POST", "/api/chats", {
      kind: "group",
      title: "bob's",
      emails: [alice.email],
    });
    const inGroup = await say(bob, group.body.chat.id, "group words");
    const aliceWords = await say(alice, chatId, "react to me");
    const reacted = await bob.api(
      "PUT",
      `/api/chats/${chatId}/messages/${aliceWords.id}/reactions/${encodeURIComponent("👍")}`,
    );
    expect(reacted.status).toBe(200);
    const aliceSocket = await connected(server.url, alice.cookie);
    const updated = collect(aliceSocket, "message:updated");

    const deleted = await bob.api("DELETE", "/api/me", { password: bob.password, messages: "erase" });
    expect(deleted.status).toBe(204);
    const [tombstone] = await historyOf(alice, chatId);
    expect(tombstone).toMatchObject({
      id: first.id,
      body: "",
      sender: { id: bob.user.id, username: "deleted-user" },
    });
    expect(tombstone?.deletedAt).not.toBeNull();
    expect(tombstone?.rev).toBeGreaterThan(before?.rev ?? Number.POSITIVE_INFINITY);
    await eventually(() =>
      expect(updated.map((m) => m.id)).toEqual(expect.arrayContaining([first.id, inGroup.id, aliceWords.id])),
    );
    const aliceMessage = (await historyOf(alice, chatId)).find((m) => m.id === aliceWords.id);
    expect(aliceMessage?.reactions).toEqual([]);
    const groupHistory = await historyOf(alice, group.body.chat.id);
    expect(groupHistory.find((m) => m.id === inGroup.id)?.deletedAt).not.toBeNull();
    expect(groupHistory.map((m) => m.system?.event)).toContain("member_left");
    const groupChat = await alice.api<{ chats: Chat[] }>("GET", "/api/chats");
    const members = groupChat.body.chats.find((c) => c.id === group.body.chat.id)?.members;
    expect(members).toEqual([expect.objectContaining({ id: alice.user.id, role: "owner" })]);
  });

  it("a wrong password is 401 invalid_credentials and changes nothing; bad input is 400; no session is 401", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    await say(bob, chatId, "still here");
    const wrong = await bob.api("DELETE", "/api/me", { password: "not my password", messages: "erase" });
    expect(wrong.status).toBe(401);
    expect(errorCode(wrong)).toBe("invalid_credentials");
    expect((await bob.api("GET", "/api/me")).status).toBe(200);
    const [message] = await historyOf(alice, chatId);
    expect(message).toMatchObject({ body: "still here", sender: { username: bob.user.username } });
    for (const body of [
      { password: bob.password },
      { messages: "keep" },
      { password: bob.password, messages: "all" },
    ]) {
      const reply = await bob.api("DELETE", "/api/me", body);
      expect(reply.status).toBe(400);
      expect(errorCode(reply)).toBe("invalid_input");
    }
    const anonymous = await request(server.url, "DELETE", "/api/me", {
      body: { password: "x", messages: "keep" },
    });
    expect(anonymous.status).toBe(401);
    expect(errorCode(anonymous)).toBe("unauthorized");
  });
});
