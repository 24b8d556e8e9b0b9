import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { MessagePage, SearchPage } from "../src/protocol/index.js";
import { rng } from "../src/server/seeded-random.js";
import { clientId, closeAllSockets, connected, pair, send, signUp, type TestUser } from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { searchIndexed } from "./support/search.js";
import { startServer, type TestServer } from "./support/server.js";

/** FTS5 and tsquery syntax, column names, odd Unicode, and words that are in the messages. */
const PIECES = [
  '"',
  "'",
  "*",
  "-",
  "+",
  "^",
  ":",
  "(",
  ")",
  "{",
  "}",
  "[",
  "]",
  "&",
  "|",
  "!",
  "<->",
  ":*",
  "\\",
  "%",
  "_",
  "AND",
  "OR",
  "NOT",
  "NEAR",
  "NEAR(",
  "body:",
  "message_search:",
  "rowid",
  "chat_id",
  "m.body",
  "*:",
  "'':*",
  "secret",
  "shared",
  "hidden",
  "cleared",
  "deleted",
  "café",
  "CAFE",
  "ë",
  "e\u0301",
  "\u0301",
  "\u200b",
  "\u200d",
  "\ufeff",
  "\u202e",
  "👩‍👩‍👧",
  "🇩🇪",
  "ﬁ",
  "Ⅻ",
  "١٢٣",
  "שלום",
  "中文",
  "ß",
  "İ",
  "ǅ",
  "𝔘𝔫𝔦",
  "\u00a0",
  "\t",
  "\n",
  "；",
  "＊",
  "“",
  "”",
  "«",
  "»",
  "'; drop table messages; --",
  "$1",
  "$$",
  "%s",
];

describe.each(DIALECTS)("search fuzz: 1,000 queries full of operators and odd Unicode (%s)", (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ dialect });
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  /** Every message id the user can see, read page by page from the history. */
  async function visibleIds(user: TestUser, chatIds: string[]): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const chatId of chatIds) {
      let before: string | undefined;
      for (;;) {
        const page = await user.api<MessagePage>(
          "GET",
          `/api/chats/${chatId}/messages?limit=100${before ? `&before=${before}` : ""}`,
        );
        for (const m of page.body.messages) if (!m.deletedAt && !m.system) ids.add(m.id);
        if (!page.body.hasMore || page.body.messages.length === 0) break;
        before = page.body.messages[0]?.id;
      }
    }
    return ids;
  }

  it("never answers 5xx and never returns a message the caller cannot see", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const carol = await signUp(server.url, "carol");
    const secret = await alice.api<{ chat: { id: string } }>("POST", "/api/chats", { email: carol.email });
    const aliceSocket = await connected(server.url, alice.cookie);
    const bobSocket = await connected(server.url, bob.cookie);
    const carolSocket = await connected(server.url, carol.cookie);
    const say = async (socket: typeof aliceSocket, chat: string, body: string) => {
      const ack = await send(socket, { chatId: chat, body, clientId: clientId() });
      if (!ack.ok) throw new Error(ack.error.code);
      return ack.message;
    };
    const bodies = [
      "shared café NEAR",
      'secret "quoted" body:',
      "hidden AND OR NOT",
      "deleted e\u0301 中文",
      "cleared ß",
    ];
    for (const body of bodies) await say(aliceSocket, chatId, `${body} (before clear)`);
    await bob.api("POST", `/api/chats/${chatId}/clear`, {});
    for (const body of bodies) {
      const message = await say(bobSocket, chatId, body);
      if (body.startsWith("hidden"))
        await bob.api("DELETE", `/api/chats/${chatId}/messages/${message.id}?for=me`);
      if (body.startsWith("deleted"))
        await bob.api("DELETE", `/api/chats/${chatId}/messages/${message.id}?for=everyone`);
    }
    // Carol and Alice talk about the same words where Bob is not.
    for (const body of bodies) await say(carolSocket, secret.body.chat.id, `${body} secret`);
    await searchIndexed(server);
    const allowed = await visibleIds(bob, [chatId]);

    const random = rng(12);
    let answered = 0;
    let withResults = 0;
    for (let i = 0; i < 1000; i++) {
      const parts = Array.from({ length: 1 + Math.floor(random() * 6) }, () => {
        const piece = PIECES[Math.floor(random() * PIECES.length)] as string;
        return random() < 0.3 ? piece : `${piece}${random() < 0.5 ? " " : ""}`;
      });
      const q = parts.join("").slice(0, 200);
      const params = new URLSearchParams({ q });
      if (random() < 0.2) params.set("chatId", chatId);
      const reply = await bob.api<SearchPage>("GET", `/api/search?${params}`);
      expect(reply.status, `q=${JSON.stringify(q)}`).toBeLessThan(500);
      if (reply.status === 200) {
        answered++;
        if (reply.body.results.length > 0) withResults++;
        for (const result of reply.body.results) {
          expect(allowed.has(result.message.id), `q=${JSON.stringify(q)} found ${result.message.id}`).toBe(
            true,
          );
          for (const [start, end] of result.highlights) {
            expect(0 <= start && start < end && end <= result.message.body.length).toBe(true);
          }
        }
      } else expect(reply.status).toBe(400);
    }
    expect(answered).toBeGreaterThan(500);
    // The queries do find things (Bob's own words among the noise): visibility was really tested.
    expect(withResults).toBeGreaterThan(100);
  }, 120_000);
});
