import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Message, SearchPage } from "../src/protocol/index.js";
import { queryWords } from "../src/server/domain/search-text.js";
import {
  type ClientSocket,
  clientId,
  closeAllSockets,
  connected,
  errorCode,
  pair,
  send,
} from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { searchIndexed } from "./support/search.js";
import { startServer, type TestServer } from "./support/server.js";

describe("search query words", () => {
  it("keeps only words: operators, quotes and punctuation are not syntax", () => {
    expect(queryWords(`"café" NEAR(x*) -y body:z OR (d) AND e^ 'f' & g:* | !h`).map((w) => w.folded)).toEqual(
      ["cafe", "near", "x", "y", "body", "z", "or", "d", "and", "e", "f", "g", "h"],
    );
    expect(queryWords("*** --- ()")).toEqual([]);
  });
  it("drops a word that is the prefix of another and repeated words", () => {
    expect(queryWords("mess Messenger MESS").map((w) => w.folded)).toEqual(["messenger"]);
  });
  it("marks a word of one or two letters as a costly prefix (not in Chinese, Japanese, Korean)", () => {
    expect(queryWords("q ki bat 한 中").map((w) => [w.folded, w.short])).toEqual([
      ["q", true],
      ["ki", true],
      ["bat", false],
      ["한", false],
      ["中", false],
    ]);
  });
});

describe.each(DIALECTS)("search: words, accents, case, prefixes, highlights, pages (%s)", (dialect) => {
  let server: TestServer;
  let alice: Awaited<ReturnType<typeof pair>>["alice"];
  let chatId: string;
  let socket: ClientSocket;
  beforeAll(async () => {
    server = await startServer({ dialect });
    ({ alice, chatId } = await pair(server.url));
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  async function say(body: string): Promise<Message> {
    socket ??= await connected(server.url, alice.cookie);
    if (!socket.connected) socket = await connected(server.url, alice.cookie);
    const ack = await send(socket, { chatId, body, clientId: clientId() });
    if (!ack.ok) throw new Error(ack.error.code);
    await searchIndexed(server);
    return ack.message;
  }
  const search = async (q: string, extra: Record<string, string> = {}) => {
    const reply = await alice.api<SearchPage>("GET", `/api/search?${new URLSearchParams({ q, ...extra })}`);
    expect(reply.status).toBe(200);
    return reply.body;
  };
  const ids = async (q: string) => (await search(q)).results.map((r) => r.message.id);

  it("ignores accents and case both ways (Café finds cafe and the reverse)", async () => {
    const accented = await say("Rendezvous at the Café Noir");
    const plain = await say("the cafe noir is closed");
    expect(await ids("cafe noir")).toEqual([plain.id, accented.id]);
    expect(await ids("CAFÉ NOIR")).toEqual([plain.id, accented.id]);
    expect(await ids("Ĉafe\u0301 nöir")).toEqual([plain.id, accented.id]);
    const vietnamese = await say("Tiếng Việt rất đẹp");
    expect(await ids("tieng viet")).toEqual([vietnamese.id]);
    const cyrillic = await say("Привет Мир");
    expect(await ids("мир ПРИВ")).toEqual([cyrillic.id]);
    const scripts = await say("हिन्दी भाषा, 한국어 and Ελληνικά");
    expect(await ids("한국 हिन्दी Ελληνικά")).toEqual([scripts.id]);
    // SQLite's unicode61 folds the accents of Latin letters only; PostgreSQL's fold every script's.
    if (dialect === "postgres") expect(await ids("ελληνικα")).toEqual([scripts.id]);
  });

  it("matches every word by prefix (mess finds messenger), all words required", async () => {
    const both = await say("Glasschat is a messenger for friends");
    await say("a messenger alone");
    expect(await ids("mess friend")).toEqual([both.id]);
    expect(await ids("glassch messeng")).toEqual([both.id]);
    expect(await ids("mess nothingelse")).toEqual([]);
    // Punctuation separates words as everywhere: an address is three words.
    const address = await say("write to ann@example.org, or to the-help_desk.");
    expect(await ids("example org")).toEqual([address.id]);
    expect(await ids("help desk")).toEqual([address.id]);
  });

  it("takes a word with vowel signs or other combining marks as one word, found from its start only", async () => {
    const body = "क्षत्रिय योद्धा a\u20ddb";
    const message = await say(body);
    const found = (await search("क्षत्रि")).results;
    expect(found.map((r) => r.message.id)).toEqual([message.id]);
    expect(found[0]?.highlights.map(([start, end]) => body.slice(start, end))).toEqual(["क्षत्रिय"]);
    expect(await ids("a\u20ddb")).toEqual([message.id]);
    // "रिय" is inside the word, after a vowel sign: not a word of its own.
    expect(await ids("रिय")).toEqual([]);
  });

  it("matches a word of one or two letters by prefix too", async () => {
    const letter = await say("plan b for the kite, go");
    const word = await say("bkite bzz goal");
    expect(await ids("B")).toEqual([word.id, letter.id]);
    expect(await ids("go")).toEqual([word.id, letter.id]);
    expect(await ids("bki")).toEqual([word.id]);
    const found = await search("b kite");
    expect(found.results.map((r) => r.message.id)).toEqual([letter.id]);
    expect(found.results[0]?.highlights).toEqual([
      [5, 6],
      [15, 19],
    ]);
  });

  it("highlights the matching words as UTF-16 [start, end) ranges of the body", async () => {
    const body = "👩‍👩‍👧 Zürich zurück, zürichsee";
    const message = await say(body);
    const result = (await search("zurich")).results.find((r) => r.message.id === message.id);
    expect(result?.highlights.map(([start, end]) => body.slice(start, end))).toEqual(["Zürich", "zürichsee"]);
    expect(result?.highlights[0]).toEqual([body.indexOf("Z"), body.indexOf("Z") + 6]);
  });

  it("pages newest first with a cursor until it is null", async () => {
    const sent: string[] = [];
    for (let i = 0; i < 7; i++) sent.push((await say(`pagingword number ${i}`)).id);
    const seen: string[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await search("pagingword", { limit: "3", ...(cursor ? { cursor } : {}) });
      expect(page.results.length).toBeLessThanOrEqual(3);
      seen.push(...page.results.map((r) => r.message.id));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual(sent.reverse());
  });

  it("searches one chat with chatId", async () => {
    const other = await pair(server.url);
    const otherSocket = await connected(server.url, other.alice.cookie);
    await send(otherSocket, { chatId: other.chatId, body: "onechatword elsewhere", clientId: clientId() });
    await searchIndexed(server);
    const here = await other.alice.api<SearchPage>("GET", `/api/search?q=onechatword&chatId=${other.chatId}`);
    expect(here.body.results).toHaveLength(1);
    const mine = await alice.api<SearchPage>("GET", `/api/search?q=onechatword&chatId=${chatId}`);
    expect(mine.body.results).toHaveLength(0);
  });

  it("answers 400 to a query without a word, a bad limit or cursor, and 401 when signed out", async () => {
    for (const q of ["", "***", " - ( ) ", "x".repeat(201)]) {
      expect(errorCode(await alice.api("GET", `/api/search?${new URLSearchParams({ q })}`))).toBe(
        "invalid_input",
      );
    }
    expect(errorCode(await alice.api("GET", "/api/search?q=a&limit=51"))).toBe("invalid_input");
    expect(errorCode(await alice.api("GET", "/api/search?q=a&cursor=nonsense"))).toBe("invalid_input");
    const anonymous = await fetch(`${server.url}/api/search?q=a`);
    expect(anonymous.status).toBe(401);
  });
});

describe("search rate limit", () => {
  it("answers rate_limited with Retry-After after RATE_LIMIT_SEARCHES_PER_MINUTE searches of one user, not for others", async () => {
    const server = await startServer({ env: { RATE_LIMIT_SEARCHES_PER_MINUTE: "3" } });
    try {
      const { alice, bob } = await pair(server.url);
      for (let i = 0; i < 3; i++) expect((await alice.api("GET", "/api/search?q=hello")).status).toBe(200);
      const refused = await alice.api<{ error: { code: string } }>("GET", "/api/search?q=hello");
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe("rate_limited");
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await bob.api("GET", "/api/search?q=hello")).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it("counts a search with a one- or two-letter word as 10 searches", async () => {
    const server = await startServer({ env: { RATE_LIMIT_SEARCHES_PER_MINUTE: "15" } });
    try {
      const { alice, bob } = await pair(server.url);
      expect((await alice.api("GET", "/api/search?q=he")).status).toBe(200);
      for (let i = 0; i < 5; i++) expect((await alice.api("GET", "/api/search?q=hello")).status).toBe(200);
      expect((await alice.api("GET", "/api/search?q=hello")).status).toBe(429);
      expect((await bob.api("GET", "/api/search?q=hello%20w")).status).toBe(200);
      expect((await bob.api("GET", "/api/search?q=hello%20w")).status).toBe(429);
    } finally {
      await server.close();
    }
  });
});
