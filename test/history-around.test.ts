import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Chat, MessagePage } from "../src/protocol/index.js";
import {
  clientId,
  closeAllSockets,
  connected,
  errorCode,
  pair,
  send,
  type TestUser,
} from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { startServer, type TestServer } from "./support/server.js";

describe.each(DIALECTS)("history around a message or a date (%s)", (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ dialect });
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  /** 30 messages a day apart (created_at rewritten), day 0 = 2025-01-01. */
  async function history() {
    const { alice, bob, chatId } = await pair(server.url);
    const socket = await connected(server.url, alice.cookie);
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const ack = await send(socket, { chatId, body: `day ${i}`, clientId: clientId() });
      if (!ack.ok) throw new Error(ack.error.code);
      ids.push(ack.message.id);
    }
    const db = server.app.database.db;
    for (let seq = 1; seq <= 30; seq++) {
      await db
        .updateTable("messages")
        .set({ created_at: Date.UTC(2025, 0, 1 + seq - 1, 12) })
        .where("chat_id", "=", chatId)
        .where("seq", "=", seq)
        .execute();
    }
    return { alice, bob, chatId, ids };
  }
  const around = (user: TestUser, chatId: string, value: string, limit = 10) =>
    user.api<MessagePage>(
      "GET",
      `/api/chats/${chatId}/messages?${new URLSearchParams({ around: value, limit: String(limit) })}`,
    );
  const bodies = (page: MessagePage) => page.messages.map((m) => m.body);

  it("opens around a message id with about half on each side", async () => {
    const { alice, chatId, ids } = await history();
    const page = await around(alice, chatId, ids[14] as string);
    expect(page.status).toBe(200);
    expect(bodies(page.body)).toEqual(Array.from({ length: 10 }, (_, i) => `day ${9 + i}`));
    expect(page.body).toMatchObject({ hasMore: true, hasMoreBefore: true, hasMoreAfter: true });
  });

  it("opens at the first message of a day, fills from the other side near the ends", async () => {
    const { alice, chatId } = await history();
    const day = await around(alice, chatId, "2025-01-20T00:00:00.000Z");
    expect(day.body.messages.find((m) => m.body === "day 19")).toBeDefined();
    expect(bodies(day.body)[5]).toBe("day 19");
    const first = await around(alice, chatId, "2024-06-01");
    expect(bodies(first.body)).toEqual(Array.from({ length: 10 }, (_, i) => `day ${i}`));
    expect(first.body).toMatchObject({ hasMoreBefore: false, hasMoreAfter: true });
    const future = await around(alice, chatId, "2030-01-01T00:00:00+02:00");
    expect(bodies(future.body)).toEqual(Array.from({ length: 10 }, (_, i) => `day ${20 + i}`));
    expect(future.body).toMatchObject({ hasMoreBefore: true, hasMoreAfter: false });
  });

  it("marks nothing read", async () => {
    const { bob, chatId, ids } = await history();
    await around(bob, chatId, ids[29] as string);
    const chats = await bob.api<{ chats: Chat[] }>("GET", "/api/chats");
    expect(chats.body.chats.find((c) => c.id === chatId)?.unread).toBe(30);
  });

  it("answers 400 to an around that is neither a message id of this chat nor a date, and 404 to others", async () => {
    const { alice, chatId } = await history();
    const other = await pair(server.url);
    for (const value of ["yesterday", "2025-13-45", `${other.chatId}-0000000001`, "12", `${chatId}-x`]) {
      expect(errorCode(await around(alice, chatId, value)), value).toBe("invalid_input");
    }
    expect(
      errorCode(await alice.api("GET", `/api/chats/${chatId}/messages?around=2025-01-01&before=x`)),
    ).toBe("invalid_input");
    expect(errorCode(await around(other.alice, chatId, "2025-01-01"))).toBe("not_found");
  });
});
