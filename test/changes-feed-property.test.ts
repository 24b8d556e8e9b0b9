import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ChangesPage, Message, MessagePage } from "../src/protocol/index.js";
import { rng } from "../src/server/seeded-random.js";
import {
  type ClientSocket,
  clientId,
  closeAllSockets,
  connect,
  eventually,
  pair,
  send,
  type TestUser,
} from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { startServer, type TestServer } from "./support/server.js";

const SEED = Number(process.env.FEED_PROPERTY_SEED ?? 20261201);
const STEPS = 160;
const EMOJI = ["👍", "❤️", "😂", "🎉"];

/**
 * A client as a real one would be written: its state comes only from live events, its own acks,
 * and feed replays after each reconnect. What it drops (hidden or cleared) stays dropped, so a
 * late event cannot bring it back; copies merge by id, keeping the higher rev.
 */
interface Client {
  name: string;
  user: TestUser;
  socket: ClientSocket | undefined;
  state: Map<string, Message>;
  dropped: Set<string>;
  floor: number;
  cursor: string | undefined;
  hiddenEvents: string[];
  clearedEvents: number[];
  feedHiddenIds: string[];
}

describe.each(DIALECTS)("changes feed under random actions and outages (%s)", (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ dialect });
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  it(`ends every client at the server's state and leaks no personal action (seed ${SEED})`, async () => {
    const random = rng(SEED + (dialect === "postgres" ? 1 : 0));
    const pick = <T>(items: T[]): T | undefined => items[Math.floor(random() * items.length)];
    const { alice, bob, chatId } = await pair(server.url);
    const users = [alice, bob];

    const upsert = (c: Client, m: Message) => {
      if (c.dropped.has(m.id) || m.seq <= c.floor) return;
      const held = c.state.get(m.id);
      if (!held || held.rev < m.rev) c.state.set(m.id, m);
    };
    const drop = (c: Client, id: string) => {
      c.dropped.add(id);
      c.state.delete(id);
    };
    const clearTo = (c: Client, seq: number) => {
      c.floor = Math.max(c.floor, seq);
      for (const m of [...c.state.values()]) if (m.seq <= c.floor) drop(c, m.id);
    };

    async function replay(c: Client): Promise<void> {
      for (;;) {
        // Small pages, so that paging through every stream of the feed is exercised.
        const limit = 1 + Math.floor(random() * 4);
        const query = `?limit=${limit}${c.cursor ? `&cursor=${c.cursor}` : ""}`;
        const reply = await c.user.api<ChangesPage>("GET", `/api/chats/${chatId}/changes${query}`);
        expect(reply.status).toBe(200);
        for (const m of reply.body.messages) upsert(c, m);
        for (const id of reply.body.hiddenIds) drop(c, id);
        c.feedHiddenIds.push(...reply.body.hiddenIds);
        c.cursor = reply.body.cursor;
        if (!reply.body.hasMore) return;
      }
    }

    async function goOnline(c: Client): Promise<void> {
      const socket = connect(server.url, c.user.cookie);
      // Listeners first: nothing the server sends after the handshake is missed.
      socket.on("message:new", (m) => upsert(c, m));
      socket.on("message:updated", (m) => upsert(c, m));
      socket.on("message:hidden", ({ messageId }) => {
        c.hiddenEvents.push(messageId);
        drop(c, messageId);
      });
      socket.on("chat:cleared", ({ seq }) => {
        c.clearedEvents.push(seq);
        clearTo(c, seq);
      });
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", () => resolve());
        socket.once("connect_error", reject);
      });
      c.socket = socket;
      await replay(c);
    }

    const clients: Client[] = [
      ["alice-1", alice],
      ["alice-2", alice],
      ["bob-1", bob],
    ].map(([name, user]) => ({
      name: name as string,
      user: user as TestUser,
      socket: undefined,
      state: new Map(),
      dropped: new Set(),
      floor: 0,
      cursor: undefined,
      hiddenEvents: [],
      clearedEvents: [],
      feedHiddenIds: [],
    }));
    for (const c of clients) await goOnline(c);

    // What each user did for themselves, and the seqs clears went up to (for the privacy check).
    const hiddenBy = new Map<string, Set<string>>(users.map((u) => [u.user.id, new Set()]));
    const clearSeqs = new Map<string, number[]>(users.map((u) => [u.user.id, []]));
    let lastSeq = 0;
    const path = (id: string) => `/api/chats/${chatId}/messages/${id}`;

    for (let step = 0; step < STEPS; step++) {
      const roll = random();
      const online = clients.filter((c) => c.socket);
      const offline = clients.filter((c) => !c.socket);
      const actor = pick(clients) as Client;
      const known = [...actor.state.values()];
      const own = known.filter((m) => m.sender.id === actor.user.user.id && !m.deletedAt);
      if (roll < 0.3) {
        const sender = pick(online);
        if (!sender?.socket) continue;
        const replyTo = random() < 0.25 ? pick([...sender.state.values()])?.id : undefined;
        const ack = await send(sender.socket, {
          chatId,
          body: `m${step}`,
          clientId: clientId(),
          ...(replyTo ? { replyTo } : {}),
        });
        if (ack.ok) {
          upsert(sender, ack.message);
          lastSeq = Math.max(lastSeq, ack.message.seq);
        }
      } else if (roll < 0.42) {
        const target = pick(own);
        if (target) await actor.user.api("PATCH", path(target.id), { body: `edit ${step}` });
      } else if (roll < 0.48) {
        const target = pick(own);
        if (target) await actor.user.api("DELETE", `${path(target.id)}?for=everyone`);
      } else if (roll < 0.56) {
        const target = pick(known);
        if (target) {
          const reply = await actor.user.api("DELETE", `${path(target.id)}?for=me`);
          if (reply.status === 204) hiddenBy.get(actor.user.user.id)?.add(target.id);
        }
      } else if (roll < 0.7) {
        const target = pick(known);
        const emoji = encodeURIComponent(pick(EMOJI) as string);
        if (target)
          await actor.user.api(random() < 0.7 ? "PUT" : "DELETE", `${path(target.id)}/reactions/${emoji}`);
      } else if (roll < 0.73) {
        await actor.user.api("POST", `/api/chats/${chatId}/clear`, {});
        clearSeqs.get(actor.user.user.id)?.push(lastSeq);
      } else if (roll < 0.75) {
        await actor.user.api("POST", `/api/chats/${chatId}/clear`, { forEveryone: true });
        for (const list of clearSeqs.values()) list.push(lastSeq);
      } else if (roll < 0.78) {
        await actor.user.api("DELETE", `/api/chats/${chatId}`);
      } else if (roll < 0.89) {
        const victim = pick(online);
        victim?.socket?.disconnect();
        if (victim) victim.socket = undefined;
      } else {
        const back = pick(offline);
        if (back) await goOnline(back);
      }
    }
    for (const c of clients) if (!c.socket) await goOnline(c);

    async function serverView(user: TestUser): Promise<Message[]> {
      const all: Message[] = [];
      let before: string | undefined;
      for (;;) {
        const query = `?limit=100${before ? `&before=${before}` : ""}`;
        const page = await user.api<MessagePage>("GET", `/api/chats/${chatId}/messages${query}`);
        all.unshift(...page.body.messages);
        before = page.body.messages[0]?.id;
        if (!page.body.hasMore || !before) return all;
      }
    }
    const truth = new Map<string, Message[]>();
    for (const u of users) truth.set(u.user.id, await serverView(u));
    for (const c of clients) {
      await eventually(() => {
        const held = [...c.state.values()].sort((a, b) => a.seq - b.seq);
        expect({ client: c.name, messages: held }).toEqual({
          client: c.name,
          messages: truth.get(c.user.user.id),
        });
      });
    }

    // No client ever heard of another member's hides or clears.
    for (const c of clients) {
      const mine = hiddenBy.get(c.user.user.id) ?? new Set();
      expect(c.hiddenEvents.filter((id) => !mine.has(id))).toEqual([]);
      const seqs = new Set(clearSeqs.get(c.user.user.id));
      expect(c.clearedEvents.filter((seq) => !seqs.has(seq))).toEqual([]);
      const maxCleared = Math.max(0, ...(clearSeqs.get(c.user.user.id) ?? []));
      const seqOf = (id: string) => Number(id.slice(id.lastIndexOf("-") + 1));
      expect(c.feedHiddenIds.filter((id) => !mine.has(id) && seqOf(id) > maxCleared)).toEqual([]);
    }
    // The run did exercise what it is about.
    expect(clients.some((c) => c.feedHiddenIds.length > 0)).toBe(true);
  }, 120_000);
});
