import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ChangesPage, Message, MessagePage } from "../src/protocol/index.js";
import {
  type ClientSocket,
  clientId,
  closeAllSockets,
  collect,
  connected,
  errorCode,
  eventually,
  nextEvent,
  pair,
  send,
  signUp,
} from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { startServer, type TestServer } from "./support/server.js";

/*
 * Group management (create, add, remove, roles) is built on top of this; here its effects are
 * written straight into the rows it will write (kind, role, visible_from_seq, left_at), and the
 * message actions, events and the feed are checked against them.
 */
describe.each(DIALECTS)(
  "message actions in groups: roles, later members, members who left (%s)",
  (dialect) => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer({ dialect });
    });
    afterAll(() => server?.close());
    afterEach(() => closeAllSockets());

    async function say(socket: ClientSocket, chatId: string, body: string): Promise<Message> {
      const ack = await send(socket, { chatId, body, clientId: clientId() });
      if (!ack.ok) throw new Error(ack.error.code);
      return ack.message;
    }
    const path = (chatId: string, messageId: string) => `/api/chats/${chatId}/messages/${messageId}`;

    /** A group of Ann (owner), Ben (admin or member) and, from `carolFrom` on, Carol. */
    async function group(benRole: "admin" | "member") {
      const { alice: ann, bob: ben, chatId } = await pair(server.url);
      const carol = await signUp(server.url, "carol");
      const db = server.app.database.db;
      await db
        .updateTable("chats")
        .set({ kind: "group", title: "Climbing", direct_key: null })
        .where("id", "=", chatId)
        .execute();
      await db
        .updateTable("chat_members")
        .set({ role: "owner" })
        .where("chat_id", "=", chatId)
        .where("user_id", "=", ann.user.id)
        .execute();
      await db
        .updateTable("chat_members")
        .set({ role: benRole })
        .where("chat_id", "=", chatId)
        .where("user_id", "=", ben.user.id)
        .execute();
      const addCarol = async (visibleFromSeq: number) => {
        await db
          .insertInto("chat_members")
          .values({
            chat_id: chatId,
            user_id: carol.user.id,
            joined_at: Date.now(),
            visible_from_seq: visibleFromSeq,
          })
          .execute();
      };
      return { ann, ben, carol, chatId, addCarol, db };
    }

    it("lets the owner and admins delete anyone's message at any time, but plain members only their own", async () => {
      const { ann, ben, chatId } = await group("admin");
      const annSocket = await connected(server.url, ann.cookie);
      const benSocket = await connected(server.url, ben.cookie);
      const byAnn = await say(annSocket, chatId, "from the owner");
      const byBen = await say(benSocket, chatId, "from an admin");
      expect((await ben.api("DELETE", `${path(chatId, byAnn.id)}?for=everyone`)).status).toBe(204);
      expect((await ann.api("DELETE", `${path(chatId, byBen.id)}?for=everyone`)).status).toBe(204);
      const editOther = await ann.api("PATCH", path(chatId, (await say(benSocket, chatId, "x")).id), {
        body: "y",
      });
      expect([editOther.status, errorCode(editOther)]).toEqual([403, "forbidden"]);

      const plain = await group("member");
      const annOwn = await say(await connected(server.url, plain.ann.cookie), plain.chatId, "owner's");
      const denied = await plain.ben.api("DELETE", `${path(plain.chatId, annOwn.id)}?for=everyone`);
      expect([denied.status, errorCode(denied)]).toEqual([403, "forbidden"]);
      const clear = await plain.ben.api("POST", `/api/chats/${plain.chatId}/clear`, { forEveryone: true });
      expect([clear.status, errorCode(clear)]).toEqual([403, "forbidden"]);
      expect(
        (await plain.ann.api("POST", `/api/chats/${plain.chatId}/clear`, { forEveryone: true })).status,
      ).toBe(204);
    });

    it("shows a member added later nothing from before they joined: history, feed, events, replies", async () => {
      const { ann, carol, chatId, addCarol } = await group("member");
      const annSocket = await connected(server.url, ann.cookie);
      const before = await say(annSocket, chatId, "before carol");
      await addCarol(before.seq + 1);
      const carolSocket = await connected(server.url, carol.cookie);
      const after = await say(annSocket, chatId, "welcome carol");
      const carolUpdates = collect(carolSocket, "message:updated");

      const history = await carol.api<MessagePage>("GET", `/api/chats/${chatId}/messages`);
      expect(history.body.messages.map((m) => m.id)).toEqual([after.id]);
      const feed = await carol.api<ChangesPage>("GET", `/api/chats/${chatId}/changes`);
      expect(feed.body.messages.map((m) => m.id)).toEqual([after.id]);

      await ann.api("PATCH", path(chatId, before.id), { body: "edited before" });
      await ann.api("PUT", `${path(chatId, before.id)}/reactions/${encodeURIComponent("👍")}`);
      const toCarol = nextEvent(carolSocket, "message:updated");
      await ann.api("PATCH", path(chatId, after.id), { body: "welcome, Carol" });
      expect((await toCarol).id).toBe(after.id);
      expect(carolUpdates.map((m) => m.id)).toEqual([after.id]);

      const reply = await send(carolSocket, { chatId, body: "re", clientId: clientId(), replyTo: before.id });
      expect(reply.ok ? "ok" : reply.error.code).toBe("invalid_input");
      expect((await carol.api("PATCH", path(chatId, before.id), { body: "x" })).status).toBe(404);
      expect(
        (await carol.api("PUT", `${path(chatId, before.id)}/reactions/${encodeURIComponent("👍")}`)).status,
      ).toBe(404);
      const since = await carol.api<ChangesPage>(
        "GET",
        `/api/chats/${chatId}/changes?cursor=${feed.body.cursor}`,
      );
      expect(since.body.messages.map((m) => m.id)).toEqual([after.id]);
    });

    it("answers a member who left 404 everywhere and sends them no message events", async () => {
      const { ann, ben, chatId, db } = await group("member");
      const annSocket = await connected(server.url, ann.cookie);
      const message = await say(annSocket, chatId, "before ben left");
      await db
        .updateTable("chat_members")
        .set({ left_at: Date.now() })
        .where("chat_id", "=", chatId)
        .where("user_id", "=", ben.user.id)
        .execute();
      const benSocket = await connected(server.url, ben.cookie);
      const benHears = collect(benSocket, "message:updated");
      const annTab = await connected(server.url, ann.cookie);
      const annHears = nextEvent(annTab, "message:updated");
      await ann.api("PATCH", path(chatId, message.id), { body: "after ben left" });
      await annHears;
      for (const [method, url] of [
        ["GET", `/api/chats/${chatId}/changes`],
        ["GET", `/api/chats/${chatId}/messages`],
        ["PATCH", path(chatId, message.id)],
        ["DELETE", `${path(chatId, message.id)}?for=me`],
        ["PUT", `${path(chatId, message.id)}/reactions/${encodeURIComponent("👍")}`],
      ] as const) {
        const reply = await ben.api(method, url, method === "PATCH" ? { body: "x" } : undefined);
        expect([method, url, reply.status]).toEqual([method, url, 404]);
      }
      await eventually(() => expect(benHears).toEqual([]));
    });
  },
);
