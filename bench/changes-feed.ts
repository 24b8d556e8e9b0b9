/**
 * Changes-feed latency on a 1,000,000-message chat: seeds one direct chat straight into the
 * database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set), then times the feed service
 * (membership check, the two feed queries and the reactions of the page) for 100-item pages from
 * random cursors. Wall-clock percentiles include waiting for a CPU on a loaded machine; the
 * process CPU time per call (this process only: all of SQLite's work, none of PostgreSQL's) is
 * printed next to them.
 *
 *   npx tsx bench/changes-feed.ts                         # 1M messages, 1000 pages, budget p99 10 ms
 *   npx tsx bench/changes-feed.ts --messages=200000 --runs=300 --dialects=sqlite
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import SqliteDatabase from "better-sqlite3";
import { sql } from "kysely";
import pg from "pg";
import { createChangesService } from "../src/server/domain/changes.service.js";
import { encodeCursor } from "../src/server/domain/changes-cursor.js";
import { createChatsService } from "../src/server/domain/chats.service.js";
import type { Notifier } from "../src/server/domain/notifier.js";
import { createReachService } from "../src/server/domain/reach.service.js";
import { rng } from "../src/server/seeded-random.js";
import { createChangesRepository } from "../src/server/storage/changes.repository.js";
import { createChatsRepository } from "../src/server/storage/chats.repository.js";
import { openDatabase } from "../src/server/storage/database.js";
import { createReachRepository } from "../src/server/storage/reach.repository.js";
import { createUsersRepository } from "../src/server/storage/users.repository.js";
import { fmt, percentiles, table } from "./lib/stats.js";

const { values: args } = parseArgs({
  options: {
    messages: { type: "string", default: "1000000" },
    runs: { type: "string", default: "1000" },
    limit: { type: "string", default: "100" },
    "budget-ms": { type: "string", default: "10" },
    dialects: { type: "string", default: process.env.TEST_DATABASE_URL ? "sqlite,postgres" : "sqlite" },
    /** Print the query plans of the feed's statements. */
    explain: { type: "boolean", default: false },
  },
});
const MESSAGES = Number(args.messages);
const RUNS = Number(args.runs);
const LIMIT = Number(args.limit);
const BUDGET_MS = Number(args["budget-ms"]);
const HIDDEN = 2000;
const CHAT = "c_bench_feed";
const [ANN, BEN] = ["u_bench_ann", "u_bench_ben"];

// The feed never notifies; the chats service wants a notifier all the same.
const silent: Notifier = {
  addToChat() {},
  chatAppeared() {},
  chatCleared() {},
  chatClearedFor() {},
  chatUpdated() {},
  messageUpdated() {},
  messageHidden() {},
  messageCreated() {},
  sessionRevoked() {},
  presence() {},
  chatRead() {},
  typing() {},
};

async function main(): Promise<void> {
  const rows: (string | number)[][] = [];
  let worst = 0;
  for (const dialect of (args.dialects ?? "sqlite").split(",")) {
    const target = await createTarget(dialect);
    try {
      const database = await openDatabase(target.config);
      try {
        const seedStart = performance.now();
        await target.seed();
        console.log(
          `${dialect}: seeded ${MESSAGES.toLocaleString("en")} messages in ${fmt((performance.now() - seedStart) / 1000)} s`,
        );
        const chats = createChatsRepository(database.db);
        const chatsService = createChatsService({
          chats,
          users: createUsersRepository(database.db),
          notifier: silent,
          reach: createReachService({ reach: createReachRepository(database.db), now: Date.now }),
          now: Date.now,
        });
        const feed = createChangesService({ changes: createChangesRepository(database.db), chatsService });
        if (args.explain) await explain(database, dialect);
        const random = rng(7);
        for (const [label, cursorAt] of [
          ["random cursor", () => Math.floor(random() * (MESSAGES - LIMIT))],
          ["near the end", () => MESSAGES - 1 - Math.floor(random() * LIMIT)],
        ] as const) {
          const times: number[] = [];
          const cpu: number[] = [];
          for (let i = 0; i < RUNS + 20; i++) {
            const cursor = encodeCursor({ rev: cursorAt(), pos: Math.floor(random() * HIDDEN), floor: 0 });
            const start = performance.now();
            const cpuStart = process.cpuUsage();
            const page = await feed.since(CHAT, ANN, { cursor, limit: LIMIT });
            const ms = performance.now() - start;
            const used = process.cpuUsage(cpuStart);
            if (page.messages.length === 0 && label === "random cursor") throw new Error("empty page");
            if (i >= 20) {
              times.push(ms);
              cpu.push((used.user + used.system) / 1000);
            }
          }
          const p = percentiles(times);
          if (label === "random cursor") worst = Math.max(worst, p.p99);
          const c = percentiles(cpu);
          rows.push([
            dialect,
            label,
            LIMIT,
            fmt(p.p50, 2),
            fmt(p.p90, 2),
            fmt(p.p99, 2),
            fmt(p.max, 2),
            fmt(c.p50, 2),
            fmt(c.p99, 2),
          ]);
        }
      } finally {
        await database.close();
      }
    } finally {
      await target.drop();
    }
  }
  console.log(
    table(
      ["dialect", "feed page", "limit", "p50 ms", "p90 ms", "p99 ms", "max ms", "cpu p50 ms", "cpu p99 ms"],
      rows,
    ),
  );
  const verdict = worst <= BUDGET_MS ? "ok" : "OVER BUDGET";
  console.log(
    `changes feed, ${MESSAGES.toLocaleString("en")}-message chat: p99 ${fmt(worst, 2)} ms (budget ${BUDGET_MS} ms) ${verdict}`,
  );
  if (worst > BUDGET_MS) process.exitCode = 1;
}

async function explain(database: Awaited<ReturnType<typeof openDatabase>>, dialect: string): Promise<void> {
  const { selectMessageRows, visibleTo } = await import("../src/server/storage/message-rows.js");
  const viewer = { userId: ANN, clearedSeq: 0, visibleFromSeq: 0 };
  const afterRev = Math.floor(MESSAGES / 2);
  // The feed's two reads of messages (storage/changes.repository.ts): changed ones by rev, unchanged ones by seq.
  const queries = {
    changed: selectMessageRows(database.db)
      .where("m.chat_id", "=", CHAT)
      .where("m.rev", ">", afterRev)
      .where(sql<boolean>`(m.created_rev is null or m.rev <> m.created_rev)`)
      .where(visibleTo(viewer))
      .orderBy("m.rev")
      .limit(LIMIT + 1),
    unchanged: selectMessageRows(database.db)
      .where("m.chat_id", "=", CHAT)
      .where(visibleTo(viewer, afterRev))
      .where("m.created_rev", ">", afterRev)
      .whereRef("m.rev", "<=", "m.created_rev")
      .orderBy("m.seq")
      .limit(LIMIT + 1),
  };
  const prefix = dialect === "sqlite" ? "explain query plan " : "explain (analyze, timing off) ";
  for (const [name, query] of Object.entries(queries)) {
    const compiled = query.compile();
    const result = await sql.raw(prefix + inline(compiled.sql, compiled.parameters)).execute(database.db);
    console.log(`${name}:\n${result.rows.map((r) => Object.values(r as object).join(" | ")).join("\n")}`);
  }
}

function inline(text: string, parameters: readonly unknown[]): string {
  let i = 0;
  return text.replace(/\$\d+|\?/g, () => {
    const value = parameters[i++];
    return typeof value === "number" ? String(value) : `'${String(value)}'`;
  });
}

interface Target {
  config: { dialect: "sqlite"; path: string } | { dialect: "postgres"; url: string };
  seed(): Promise<void>;
  drop(): Promise<void>;
}

async function createTarget(dialect: string): Promise<Target> {
  const random = rng(42);
  const hiddenSeqs = [...new Set(Array.from({ length: HIDDEN }, () => 1 + Math.floor(random() * MESSAGES)))];
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "glasschat-bench-feed-"));
    const path = join(dir, "glasschat.db");
    return {
      config: { dialect: "sqlite", path },
      async seed() {
        const db = new SqliteDatabase(path, { timeout: 30_000 });
        db.pragma("journal_mode = WAL");
        db.pragma("synchronous = OFF");
        const now = Date.now();
        db.transaction(() => {
          for (const id of [ANN, BEN]) {
            db.prepare(
              "insert into users (id, email, username, password_hash, created_at) values (?, ?, ?, 'x', ?)",
            ).run(id, `${id}@bench.test`, id, now);
          }
          db.prepare(
            "insert into chats (id, kind, direct_key, created_at, last_seq, last_rev, last_activity_at) values (?, 'direct', ?, ?, ?, ?, ?)",
          ).run(CHAT, `${ANN}:${BEN}`, now, MESSAGES, MESSAGES, now);
          db.prepare(
            "insert into chat_members (chat_id, user_id, joined_at, hidden_pos) values (?, ?, ?, ?)",
          ).run(CHAT, ANN, now, hiddenSeqs.length);
          db.prepare("insert into chat_members (chat_id, user_id, joined_at) values (?, ?, ?)").run(
            CHAT,
            BEN,
            now,
          );
          const insert = db.prepare(
            "insert into messages (chat_id, seq, rev, created_rev, sender_id, client_id, body, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
          );
          for (let seq = 1; seq <= MESSAGES; seq++) {
            insert.run(
              CHAT,
              seq,
              seq,
              seq,
              seq % 2 ? ANN : BEN,
              `k${seq}`,
              `message number ${seq}`,
              now - (MESSAGES - seq) * 1000,
            );
          }
          const hide = db.prepare(
            "insert into hidden_messages (chat_id, user_id, seq, pos) values (?, ?, ?, ?)",
          );
          hiddenSeqs.forEach((seq, i) => {
            hide.run(CHAT, ANN, seq, i + 1);
          });
        })();
        db.pragma("optimize");
        db.close();
      },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error("TEST_DATABASE_URL is not set");
  const name = `glasschat_bench_${randomBytes(4).toString("hex")}`;
  const withAdmin = async (statement: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(statement).finally(() => client.end());
  };
  await withAdmin(`create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    config: { dialect: "postgres", url: url.toString() },
    async seed() {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        const now = Date.now();
        await client.query(
          "insert into users (id, email, username, password_hash, created_at) values ($1, $1 || '@bench.test', $1, 'x', $3), ($2, $2 || '@bench.test', $2, 'x', $3)",
          [ANN, BEN, now],
        );
        await client.query(
          "insert into chats (id, kind, direct_key, created_at, last_seq, last_rev, last_activity_at) values ($1, 'direct', $2, $3, $4, $4, $3)",
          [CHAT, `${ANN}:${BEN}`, now, MESSAGES],
        );
        await client.query(
          "insert into chat_members (chat_id, user_id, joined_at, hidden_pos) values ($1, $2, $4, $5), ($1, $3, $4, 0)",
          [CHAT, ANN, BEN, now, hiddenSeqs.length],
        );
        await client.query(
          `insert into messages (chat_id, seq, rev, created_rev, sender_id, client_id, body, created_at)
           select $1, s, s, s, case when s % 2 = 1 then $2 else $3 end, 'k' || s, 'message number ' || s, $4::bigint - ($5::bigint - s) * 1000
           from generate_series(1, $5::int) as s`,
          [CHAT, ANN, BEN, now, MESSAGES],
        );
        await client.query(
          "insert into hidden_messages (chat_id, user_id, seq, pos) select $1, $2, s, p from unnest($3::int[]) with ordinality as t(s, p)",
          [CHAT, ANN, hiddenSeqs],
        );
        await client.query("vacuum analyze");
      } finally {
        await client.end();
      }
    },
    drop: () => withAdmin(`drop database if exists ${name} with (force)`),
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
