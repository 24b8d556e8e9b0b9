/**
 * `npm run bench:history`: reading a big history and a long chat list, on SQLite and (with
 * BENCH_DATABASE_URL or TEST_DATABASE_URL) PostgreSQL. Two signed-up users share a direct chat
 * that is seeded with BENCH_HISTORY_MESSAGES (1,000,000) messages straight into the database; the
 * first user is also in 499 more chats (500 in all). Then, over HTTP against the real server (on
 * core BENCH_SERVER_CPUS, 0), it times the newest page, an `after=` page from the middle, and the
 * chat list. Targets (issue 16): pages p99 <= 5 ms, chat list p99 <= 20 ms. `around=` pages (a
 * message id in the middle, a date) are timed next to them. "srv ms/call" is the server process's
 * CPU time per call (user + system, from /proc): unlike the latencies it stays meaningful when
 * other work shares the machine. BENCH_SERVER_ENTRY (src/server/main.ts) runs another build.
 * BENCH_PROFILE=1: a CPU profile of the server, and the heaviest functions of each call printed.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import pg from "pg";
import { RATE_LIMITS_OFF } from "../src/server/config.js";
import { messageId } from "../src/server/domain/ids.js";
import { withDefaultUser, withFreshDatabase } from "./lib/postgres.js";
import { freePort, killAllChildren, spawnNode, stop, waitHealthy } from "./lib/proc.js";
import { summarizeProfile } from "./lib/profile.js";
import { type BenchUser, signUpUsers } from "./lib/signup.js";
import { fmt, percentiles, table } from "./lib/stats.js";

const MESSAGES = Number(process.env.BENCH_HISTORY_MESSAGES ?? 1_000_000);
const CHATS = 500;
const RUNS = Number(process.env.BENCH_HISTORY_RUNS ?? 200);
const SERVER_CPUS = process.env.BENCH_SERVER_CPUS ?? "0";
const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const SERVER_ENTRY = process.env.BENCH_SERVER_ENTRY ?? "src/server/main.ts";
const TARGETS = { pageP99Ms: 5, chatListP99Ms: 20 };
const PROFILE = process.env.BENCH_PROFILE === "1";
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/** The same seed for both dialects: one statement for the big chat, three for the other chats. */
function seedStatements(dialect: "sqlite" | "postgres", chatId: string, a: string, b: string) {
  const series =
    dialect === "sqlite"
      ? (n: number) => `with recursive s(n) as (select 1 union all select n + 1 from s where n < ${n}) `
      : () => "";
  const from = (n: number) => (dialect === "sqlite" ? "from s" : `from generate_series(1, ${n}) as s(n)`);
  const now = Date.now();
  const others = CHATS - 1;
  return [
    `${series(MESSAGES)}insert into messages (chat_id, seq, rev, sender_id, client_id, body, created_at)
     select '${chatId}', n, n, case when n % 2 = 0 then '${a}' else '${b}' end, 'h' || n,
       'message number ' || n || ' of a long history, of ordinary length', ${now - MESSAGES} + n ${from(MESSAGES)}`,
    `update chats set last_seq = ${MESSAGES}, last_rev = ${MESSAGES}, last_activity_at = ${now} where id = '${chatId}'`,
    `${series(others)}insert into users (id, email, username, password_hash, created_at)
     select 'u_hist_' || n, 'hist' || n || '@bench.test', 'hist_' || n, 'x', ${now} ${from(others)}`,
    `${series(others)}insert into chats (id, kind, direct_key, created_at, last_seq, last_rev, last_activity_at)
     select 'c_hist_' || n, 'direct', 'c_hist_' || n, ${now}, 0, 0, ${now} - n ${from(others)}`,
    `${series(others)}insert into chat_members (chat_id, user_id, joined_at)
     select 'c_hist_' || n, '${a}', ${now} ${from(others)}
     union all select 'c_hist_' || n, 'u_hist_' || n, ${now} ${from(others)}`,
  ];
}

async function seed(dialect: "sqlite" | "postgres", target: string, users: BenchUser[], ids: string[]) {
  const [a, b] = ids as [string, string];
  const statements = seedStatements(dialect, users[0]?.chatId ?? "", a, b);
  if (dialect === "sqlite") {
    const db = new SqliteDatabase(target, { timeout: 30_000 });
    db.pragma("journal_mode = WAL");
    db.transaction(() => {
      for (const s of statements) db.exec(s);
    })();
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  try {
    for (const s of statements) await client.query(s);
    // Left out of search (this bench reads history only): else each node's sweep would index the
    // million messages while they are timed (migration 013).
    await client.query(
      `insert into search_marks (chat_id, up_to) values ($1, ${MESSAGES})
       on conflict (chat_id) do update set up_to = excluded.up_to`,
      [users[0]?.chatId ?? ""],
    );
    await client.query("analyze");
  } finally {
    await client.end();
  }
}

/** CPU time the process used so far, in ms (utime + stime of /proc/<pid>/stat, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function time(url: string, cookie: string, path: string, pid: number) {
  const times: number[] = [];
  let cpuStart = 0;
  for (let i = 0; i < RUNS + 10; i++) {
    if (i === 10) cpuStart = cpuMs(pid);
    const start = performance.now();
    const res = await fetch(`${url}${path}`, { headers: { cookie } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status}`);
    if (i >= 10) times.push(performance.now() - start);
  }
  return { times, cpuMsPerCall: (cpuMs(pid) - cpuStart) / RUNS };
}

async function measure(dialect: "sqlite" | "postgres", databaseUrl: string, sqlitePath?: string) {
  const dir = mkdtempSync(join(tmpdir(), "glasschat-bench-history-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = {
    PORT: String(port),
    HOST: "127.0.0.1",
    NODE_ENV: "production",
    PUBLIC_URL: url,
    DATA_DIR: dir,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: "warn",
    ...RATE_LIMITS_OFF,
  };
  const profileDir = join(dir, "profile");
  const nodeArgs = PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
  const server = spawnNode(SERVER_ENTRY, [], { env, cpus: SERVER_CPUS, nodeArgs });
  /** Each call's time span on the monotonic clock the profile uses. */
  const windows: [string, [number, number]][] = [];
  try {
    await waitHealthy(url, server);
    const users = await signUpUsers(url, 2);
    const ids = users.map((u) => u.id);
    const seedStart = performance.now();
    await seed(dialect, sqlitePath ?? databaseUrl, users, ids);
    const seedS = (performance.now() - seedStart) / 1000;
    const [first] = users as [BenchUser];
    const chat = encodeURIComponent(first.chatId);
    const middle = encodeURIComponent(messageId(first.chatId, Math.floor(MESSAGES / 2)));
    // A day in the middle of the seeded history (one message a millisecond up to now).
    const middleDate = new Date(Date.now() - MESSAGES / 2).toISOString();
    const cases: [string, string, number | undefined][] = [
      ["newest page", `/api/chats/${chat}/messages`, TARGETS.pageP99Ms],
      ["after= page (middle)", `/api/chats/${chat}/messages?after=${middle}`, TARGETS.pageP99Ms],
      ["around= message (middle)", `/api/chats/${chat}/messages?around=${middle}`, undefined],
      ["around= date (middle)", `/api/chats/${chat}/messages?around=${middleDate}`, undefined],
      [`chat list (${CHATS} chats)`, "/api/chats", TARGETS.chatListP99Ms],
    ];
    const rows: (string | number)[][] = [];
    for (const [label, path, target] of cases) {
      const from = monotonicUs();
      const { times, cpuMsPerCall } = await time(url, first.cookie, path, server.pid ?? 0);
      windows.push([label, [from, monotonicUs()]]);
      const p = percentiles(times);
      rows.push([
        dialect,
        label,
        fmt(p.p50, 2),
        fmt(p.p99, 2),
        fmt(cpuMsPerCall, 2),
        target === undefined ? "-" : `<= ${target}`,
        target === undefined ? "" : p.p99 <= target ? "met" : "MISSED",
      ]);
    }
    return { rows, seedS };
  } finally {
    await stop(server);
    if (PROFILE) printProfile(dialect, profileDir, windows);
    rmSync(dir, { recursive: true, force: true });
  }
}

function printProfile(dialect: string, profileDir: string, windows: [string, [number, number]][]) {
  // The main thread's profile is the largest (the SQLite writer thread writes its own).
  const [file] = readdirSync(profileDir)
    .map((f) => join(profileDir, f))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  if (!file) return;
  for (const [label, window] of windows) {
    const summary = summarizeProfile(file, window, 12);
    console.log(`  ${dialect} ${label}: ${summary.totalMs} ms of samples; heaviest (self time):`);
    for (const f of summary.byFunction) console.log(`    ${fmt(f.share * 100, 1).padStart(5)} %  ${f.fn}`);
  }
}

async function main(): Promise<number> {
  console.log(
    `History: ${MESSAGES.toLocaleString("en")} messages in one chat, ${CHATS} chats, ${RUNS} calls each`,
  );
  const rows: (string | number)[][] = [];
  const dir = mkdtempSync(join(tmpdir(), "glasschat-bench-history-db-"));
  try {
    const path = join(dir, "bench.db");
    const sqlite = await measure("sqlite", `sqlite:${path}`, path);
    console.log(`  sqlite seeded in ${fmt(sqlite.seedS)} s`);
    rows.push(...sqlite.rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (PG_URL) {
    const postgres = await withFreshDatabase(withDefaultUser(PG_URL), (url) => measure("postgres", url));
    console.log(`  postgres seeded in ${fmt(postgres.seedS)} s`);
    rows.push(...postgres.rows);
  }
  console.log(table(["database", "call", "p50 ms", "p99 ms", "srv ms/call", "p99 target", ""], rows));
  return rows.some((r) => r[6] === "MISSED") ? 1 : 0;
}

main().then(
  (code) => {
    killAllChildren();
    process.exit(code);
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    killAllChildren();
    process.exit(1);
  },
);
