/**
 * Search and date-jump latency on big histories, SQLite and PostgreSQL: seeds MESSAGES messages
 * (default 1,000,000, words drawn from a Zipf-distributed vocabulary) through the app's own
 * schema (the post-commit indexer then indexes them, as at a start after a crash), then times the real HTTP calls
 * of a user who is in 50 chats:
 *  - a two-word prefix search over all their chats (target p99 ≤ 50 ms),
 *  - `GET /api/chats/:id/messages?around=<date>` (target p99 ≤ 10 ms).
 *
 *   npm run bench:search                                     # 1M messages, both dialects
 *   npx tsx bench/search.ts --messages=50000 --runs=50       # a quick check
 *   npx tsx bench/search.ts --dialects=sqlite
 *   npx tsx bench/search.ts --dialects=postgres --keep        # leaves the database for EXPLAIN
 *
 * PostgreSQL: --postgres=URL (or BENCH_POSTGRES_URL, TEST_DATABASE_URL) names a server where the
 * bench may create and drop its own database. Exits non-zero when a target is missed.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import pg from "pg";
import { pino } from "pino";
import { buildApp } from "../src/server/app.js";
import { loadConfig, RATE_LIMITS_OFF } from "../src/server/config.js";
import { rng } from "../src/server/seeded-random.js";
import type { Db } from "../src/server/storage/database.js";
import { signUpOne } from "./lib/signup.js";
import { fmt, percentiles, table } from "./lib/stats.js";

const { values: args } = parseArgs({
  options: {
    messages: { type: "string", default: "1000000" },
    chats: { type: "string", default: "50" },
    /** Share of all messages in the searching user's chats. */
    "heavy-share": { type: "string", default: "0.2" },
    vocabulary: { type: "string", default: "20000" },
    runs: { type: "string", default: "300" },
    days: { type: "string", default: "365" },
    dialects: { type: "string", default: "sqlite,postgres" },
    postgres: { type: "string" },
    /** A fixed query instead of two random middling words (e.g. --query="k" for a worst case). */
    query: { type: "string" },
    "search-p99-ms": { type: "string", default: "50" },
    "around-p99-ms": { type: "string", default: "10" },
    /** Leaves the seeded database (its URL is printed) for EXPLAIN; drop it yourself. */
    keep: { type: "boolean", default: false },
  },
});
const MESSAGES = Number(args.messages);
const HEAVY_CHATS = Number(args.chats);
const HEAVY_SHARE = Number(args["heavy-share"]);
const VOCABULARY = Number(args.vocabulary);
const RUNS = Number(args.runs);
const DAYS = Number(args.days);
const DAY_MS = 86_400_000;
const SEARCH_BUDGET = Number(args["search-p99-ms"]);
const AROUND_BUDGET = Number(args["around-p99-ms"]);
const OTHER_CHATS = 500;
const BATCH = 1000;

/** Pseudo-words from syllables, some with accents (so folding is exercised), rank 1 most common. */
function vocabulary(random: () => number): string[] {
  const syllables = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "sa",
    "ti",
    "vo",
    "zé",
    "pa",
    "dö",
    "fi",
    "gu",
    "hé",
    "jo",
    "ba",
  ];
  const words = new Set<string>();
  while (words.size < VOCABULARY) {
    let word = "";
    const length = 2 + Math.floor(random() * 3);
    for (let i = 0; i < length; i++) word += syllables[Math.floor(random() * syllables.length)];
    words.add(word);
  }
  return [...words];
}

/** Samples ranks 0..n-1 with probability ∝ 1/(rank+1). */
function zipf(n: number, random: () => number): () => number {
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cumulative[i] = sum += 1 / (i + 1);
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

interface Target {
  url: string;
  drop(): Promise<void>;
}

async function target(dialect: string): Promise<Target> {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "glasschat-bench-search-"));
    return {
      url: `sqlite:${join(dir, "bench.db")}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = args.postgres ?? process.env.BENCH_POSTGRES_URL ?? process.env.TEST_DATABASE_URL;
  if (!admin)
    throw new Error("PostgreSQL: pass --postgres=URL (a server where the bench may create a database)");
  const name = `glasschat_bench_search_${randomBytes(4).toString("hex")}`;
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  if (args.keep) console.log(`postgres: keeping ${url}`);
  return {
    url: url.toString(),
    drop: () => (args.keep ? Promise.resolve() : run(`drop database if exists ${name} with (force)`)),
  };
}

/** Users, the heavy user's 50 chats and others' chats, and the messages, in batches. */
async function seed(db: Db, heavyId: string) {
  const random = rng(7);
  const words = vocabulary(random);
  const pick = zipf(words.length, random);
  const start = Date.now() - DAYS * DAY_MS;
  const users = Array.from({ length: HEAVY_CHATS + 200 }, (_, i) => `u_bench_${i}`);
  await db
    .insertInto("users")
    .values(
      users.map((id) => ({
        id,
        email: `${id}@bench.test`,
        username: id,
        password_hash: "x",
        created_at: start,
      })),
    )
    .execute();
  const chats: { id: string; members: string[]; messages: number }[] = [];
  const heavyMessages = Math.round(MESSAGES * HEAVY_SHARE);
  for (let c = 0; c < HEAVY_CHATS; c++)
    chats.push({
      id: `c_bench_h${c}`,
      members: [heavyId, users[c] ?? ""],
      messages: Math.floor(heavyMessages / HEAVY_CHATS),
    });
  for (let c = 0; c < OTHER_CHATS; c++) {
    const a = users[HEAVY_CHATS + (c % 200)] ?? "";
    const b = users[(c * 7) % users.length] ?? "";
    chats.push({
      id: `c_bench_o${c}`,
      members: [a, b === a ? (users[0] ?? "") : b],
      messages: Math.floor((MESSAGES - heavyMessages) / OTHER_CHATS),
    });
  }
  await db.transaction().execute(async (tx) => {
    for (const chat of chats) {
      await tx
        .insertInto("chats")
        .values({
          id: chat.id,
          kind: "direct",
          direct_key: chat.id,
          created_at: start,
          last_seq: chat.messages,
          last_rev: chat.messages,
          last_activity_at: Date.now(),
        })
        .execute();
      await tx
        .insertInto("chat_members")
        .values(chat.members.map((user_id) => ({ chat_id: chat.id, user_id, joined_at: start })))
        .execute();
      const step = (DAYS * DAY_MS) / Math.max(1, chat.messages);
      for (let from = 0; from < chat.messages; from += BATCH) {
        const rows = [];
        for (let i = from; i < Math.min(chat.messages, from + BATCH); i++) {
          const length = 4 + Math.floor(random() * 12);
          const body = Array.from({ length }, () => words[pick()]).join(" ");
          rows.push({
            chat_id: chat.id,
            seq: i + 1,
            rev: i + 1,
            sender_id: chat.members[i % 2] ?? heavyId,
            client_id: `s${i}`,
            body,
            created_at: Math.round(start + i * step),
          });
        }
        await tx.insertInto("messages").values(rows).execute();
      }
    }
  });
  return { words, chats: chats.slice(0, HEAVY_CHATS), start };
}

async function timed(
  runs: number,
  call: (i: number) => Promise<Response>,
): Promise<{ times: number[]; found: number }> {
  const times: number[] = [];
  let found = 0;
  for (let i = 0; i < runs + 5; i++) {
    const began = performance.now();
    const res = await call(i);
    const body = (await res.json()) as { results?: unknown[]; messages?: unknown[] };
    const ms = performance.now() - began;
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${JSON.stringify(body)}`);
    if (i >= 5) {
      times.push(ms); // five warm-up calls
      found += (body.results ?? body.messages ?? []).length;
    }
  }
  return { times, found };
}

async function benchDialect(dialect: string): Promise<(string | number)[][]> {
  const where = await target(dialect);
  const dir = mkdtempSync(join(tmpdir(), "glasschat-bench-search-data-"));
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dir,
    DATABASE_URL: where.url,
    LOG_LEVEL: "silent",
    ...RATE_LIMITS_OFF,
  });
  const app = await buildApp(config, pino({ level: "silent" }));
  try {
    await app.http.listen({ port: 0, host: "127.0.0.1" });
    const base = `http://127.0.0.1:${(app.http.server.address() as AddressInfo).port}`;
    const heavy = await signUpOne(base, "heavy@bench.test", "heavy");
    await heavy.client.close();
    const { id: heavyId, cookie } = heavy;
    const seeding = performance.now();
    const { words, chats, start } = await seed(app.database.db, heavyId);
    const indexing = performance.now();
    await app.database.searchIndexer?.flush();
    if (dialect === "postgres") await sql`analyze`.execute(app.database.db);
    console.log(
      `${dialect}: seeded ${MESSAGES.toLocaleString("en")} messages in ${fmt((indexing - seeding) / 1000)} s` +
        (app.database.searchIndexer
          ? `, indexed them in ${fmt((performance.now() - indexing) / 1000)} s`
          : ""),
    );

    const random = rng(99);
    // Two words of middling frequency (ranks 10–500), typed as prefixes (the last letter left off).
    const word = () => {
      const w = words[10 + Math.floor(random() * 490)] ?? "ka";
      return w.slice(0, Math.max(3, w.length - 1));
    };
    const search = await timed(RUNS, () =>
      fetch(`${base}/api/search?${new URLSearchParams({ q: args.query ?? `${word()} ${word()}` })}`, {
        headers: { cookie },
      }),
    );
    const around = await timed(RUNS, () => {
      const chat = chats[Math.floor(random() * chats.length)]?.id ?? "";
      const at = new Date(start + random() * DAYS * DAY_MS).toISOString();
      return fetch(`${base}/api/chats/${chat}/messages?${new URLSearchParams({ around: at, limit: "50" })}`, {
        headers: { cookie },
      });
    });
    // Baseline: the newest page of the same chats (what opening a chat costs anyway).
    const newest = await timed(RUNS, () => {
      const chat = chats[Math.floor(random() * chats.length)]?.id ?? "";
      return fetch(`${base}/api/chats/${chat}/messages?limit=50`, { headers: { cookie } });
    });
    const n = percentiles(newest.times);
    const s = percentiles(search.times);
    const a = percentiles(around.times);
    const verdict = (p99: number, budget: number) => (p99 <= budget ? "ok" : "MISSED");
    if (s.p99 > SEARCH_BUDGET || a.p99 > AROUND_BUDGET) process.exitCode = 1;
    return [
      [
        dialect,
        "two-word search, 50 chats",
        fmt(search.found / RUNS),
        fmt(s.p50),
        fmt(s.p99),
        `${verdict(s.p99, SEARCH_BUDGET)} (≤ ${SEARCH_BUDGET})`,
      ],
      [
        dialect,
        "around=<date>, limit 50",
        fmt(around.found / RUNS),
        fmt(a.p50),
        fmt(a.p99),
        `${verdict(a.p99, AROUND_BUDGET)} (≤ ${AROUND_BUDGET})`,
      ],
      [dialect, "baseline: newest page, limit 50", fmt(newest.found / RUNS), fmt(n.p50), fmt(n.p99), "-"],
    ];
  } finally {
    await app.close();
    await where.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: (string | number)[][] = [];
for (const dialect of (args.dialects ?? "").split(",").filter(Boolean)) {
  try {
    rows.push(...(await benchDialect(dialect)));
  } catch (error) {
    console.error(`${dialect}: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
console.log(`\n${MESSAGES.toLocaleString("en")} messages, ${RUNS} calls each (after 5 warm-up calls)`);
console.log(table(["dialect", "call", "results", "p50 ms", "p99 ms", "target p99 ms"], rows));
