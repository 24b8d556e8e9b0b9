/**
 * Insights latency on a big SQLite database: seeds MESSAGES messages (default 1,000,000) straight
 * into the database, then times the real `GET /api/insights` call over HTTP for a heavy user.
 *
 *   npm run bench:insights                        # 1M messages, budget 300 ms (p50)
 *   npm run bench:insights -- --messages=200000 --runs=10
 *
 * Exits non-zero when the median call is over the budget.
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import SqliteDatabase from "better-sqlite3";
import { pino } from "pino";
import { buildApp } from "../src/server/app.js";
import { loadConfig, RATE_LIMITS_OFF } from "../src/server/config.js";
import { rng } from "../src/server/seeded-random.js";
import { signUpOne } from "./lib/signup.js";
import { fmt, percentiles, table } from "./lib/stats.js";

const { values: args } = parseArgs({
  options: {
    messages: { type: "string", default: "1000000" },
    users: { type: "string", default: "2000" },
    /** Share of all messages in the heavy user's chats. */
    "heavy-share": { type: "string", default: "0.2" },
    days: { type: "string", default: "365" },
    runs: { type: "string", default: "15" },
    "budget-ms": { type: "string", default: "300" },
    tz: { type: "string", default: "Europe/Berlin" },
    /** Keep the seeded database and print its path (to inspect query plans). */
    keep: { type: "boolean", default: false },
  },
});
const MESSAGES = Number(args.messages);
const USERS = Number(args.users);
const HEAVY_SHARE = Number(args["heavy-share"]);
const DAYS = Number(args.days);
const RUNS = Number(args.runs);
const BUDGET_MS = Number(args["budget-ms"]);
const TZ = args.tz ?? "UTC";
const HEAVY_CHATS = 60;
const DAY_MS = 86_400_000;

/** Hour weights of a day: quiet nights, busy lunch and evening. */
const HOUR_WEIGHTS = [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 3, 5, 6, 6, 7, 8, 7, 6, 6, 6, 7, 9, 10, 10, 8, 5, 2];

function main() {
  return run().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "glasschat-bench-insights-"));
  const dbPath = join(dir, "glasschat.db");
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dir,
    DATABASE_URL: `sqlite:${dbPath}`,
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

    const seedStart = performance.now();
    const visible = seed(dbPath, heavyId);
    console.log(
      `seeded ${MESSAGES.toLocaleString("en")} messages over ${DAYS} days in ${fmt((performance.now() - seedStart) / 1000)} s; the heavy user sees ${visible.toLocaleString("en")}`,
    );

    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.parse(to) - (DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
    const cases: Array<[string, string]> = [
      [`all chats, ${DAYS} days, ${TZ}`, `/api/insights?from=${from}&to=${to}&tz=${encodeURIComponent(TZ)}`],
      [`all chats, last 90 days, ${TZ}`, `/api/insights?tz=${encodeURIComponent(TZ)}`],
      [`busiest chat, ${DAYS} days, Asia/Kolkata`, `/api/insights?from=${from}&to=${to}&tz=Asia/Kolkata`],
    ];
    const rows: Array<(string | number)[]> = [];
    let headline = 0;
    for (const [index, [label, baseQuery]] of cases.entries()) {
      let query = baseQuery;
      if (index === 2) {
        const first = (await (await fetch(`${base}${cases[0]?.[1]}`, { headers: { cookie } })).json()) as {
          topChats: Array<{ chatId: string }>;
        };
        query += `&chatId=${encodeURIComponent(first.topChats[0]?.chatId ?? "")}`;
      }
      const times: number[] = [];
      let messages = 0;
      for (let i = 0; i < RUNS + 2; i++) {
        const start = performance.now();
        const res = await fetch(`${base}${query}`, { headers: { cookie } });
        const body = (await res.json()) as { totals?: { messages: number } };
        const ms = performance.now() - start;
        if (res.status !== 200) throw new Error(`${query}: HTTP ${res.status} ${JSON.stringify(body)}`);
        messages = body.totals?.messages ?? 0;
        if (i >= 2) times.push(ms); // two warm-up calls
      }
      const p = percentiles(times);
      if (index === 0) headline = p.p50;
      rows.push([label, messages, fmt(p.p50), fmt(p.p90), fmt(p.max)]);
    }
    console.log(table(["insights call", "messages", "p50 ms", "p90 ms", "max ms"], rows));
    const verdict = headline <= BUDGET_MS ? "ok" : "OVER BUDGET";
    console.log(`heavy user, ${DAYS} days: p50 ${fmt(headline)} ms (budget ${BUDGET_MS} ms) ${verdict}`);
    if (headline > BUDGET_MS) process.exitCode = 1;
  } finally {
    await app.close();
    if (args.keep) console.log(`database kept at ${dbPath}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Writes users, chats and messages with one prepared-statement transaction on a second
 * connection (the server keeps running). Returns how many messages the heavy user can see.
 */
function seed(dbPath: string, heavyId: string): number {
  const random = rng(42);
  const db = new SqliteDatabase(dbPath, { timeout: 30_000 });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const now = Date.now();
  const start = now - DAYS * DAY_MS;
  const insertUser = db.prepare(
    "insert into users (id, email, username, password_hash, created_at) values (?, ?, ?, 'x', ?)",
  );
  const insertChat = db.prepare(
    "insert into chats (id, kind, direct_key, created_at, last_seq, last_rev, last_activity_at) values (?, ?, ?, ?, ?, ?, ?)",
  );
  const insertMember = db.prepare("insert into chat_members (chat_id, user_id, joined_at) values (?, ?, ?)");
  const insertMessage = db.prepare(
    "insert into messages (chat_id, seq, rev, sender_id, client_id, body, created_at) values (?, ?, ?, ?, ?, ?, ?)",
  );
  const filler = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor ".repeat(4);

  const hourTotal = HOUR_WEIGHTS.reduce((a, b) => a + b, 0);
  const randomTime = () => {
    let pick = random() * hourTotal;
    let hour = 0;
    for (; hour < 23; hour++) {
      pick -= HOUR_WEIGHTS[hour] ?? 0;
      if (pick < 0) break;
    }
    const day = Math.floor(random() * DAYS);
    return start + day * DAY_MS + hour * 3_600_000 + Math.floor(random() * 3_600_000);
  };

  let visible = 0;
  db.transaction(() => {
    const userIds = [heavyId];
    for (let i = 1; i < USERS; i++) {
      const id = `u_bench_${i}`;
      insertUser.run(id, `user${i}@bench.test`, `bench_${i}`, start);
      userIds.push(id);
    }
    // The heavy user's chats, then chats between other people: each a list of members.
    const chats: Array<{ id: string; members: string[]; messages: number }> = [];
    const heavyMessages = Math.round(MESSAGES * HEAVY_SHARE);
    for (let c = 0; c < HEAVY_CHATS; c++) {
      const group = c % 6 === 5;
      const others = group ? [userIds[1 + c] ?? "", userIds[2 + c] ?? ""] : [userIds[1 + c] ?? ""];
      chats.push({ id: `c_bench_h${c}`, members: [heavyId, ...others], messages: 0 });
    }
    const otherChatCount = Math.max(1, Math.floor(USERS / 2));
    for (let c = 0; c < otherChatCount; c++) {
      const a = userIds[1 + Math.floor(random() * (USERS - 1))] ?? "";
      let b = userIds[1 + Math.floor(random() * (USERS - 1))] ?? "";
      if (a === b) b = userIds[1 + ((userIds.indexOf(a) + 1) % (USERS - 1))] ?? "";
      chats.push({ id: `c_bench_o${c}`, members: [a, b], messages: 0 });
    }
    // Skewed sizes within each population: a few chats carry most of the traffic.
    const spread = (from: number, to: number, total: number) => {
      const weights = Array.from({ length: to - from }, (_, i) => 1 / (i + 1));
      const sum = weights.reduce((a, b) => a + b, 0);
      let left = total;
      for (let i = from; i < to; i++) {
        const n = i === to - 1 ? left : Math.round((total * (weights[i - from] ?? 0)) / sum);
        const chat = chats[i];
        if (chat) chat.messages = Math.min(n, left);
        left -= chat?.messages ?? 0;
      }
    };
    spread(0, HEAVY_CHATS, heavyMessages);
    spread(HEAVY_CHATS, chats.length, MESSAGES - heavyMessages);

    let serial = 0;
    for (const chat of chats) {
      insertChat.run(
        chat.id,
        chat.members.length > 2 ? "group" : "direct",
        chat.id,
        start,
        chat.messages,
        chat.messages,
        now,
      );
      for (const member of chat.members) insertMember.run(chat.id, member, start);
      const times = Array.from({ length: chat.messages }, randomTime).sort((a, b) => a - b);
      let sender = chat.members[0] ?? "";
      for (const [i, createdAt] of times.entries()) {
        // Turns: the same person often writes a few messages in a row.
        if (random() < 0.55) sender = chat.members[Math.floor(random() * chat.members.length)] ?? sender;
        const length = 5 + Math.floor(random() * 120);
        insertMessage.run(chat.id, i + 1, i + 1, sender, `s${serial++}`, filler.slice(0, length), createdAt);
      }
      if (chat.members.includes(heavyId)) visible += chat.messages;
    }
  })();
  db.close();
  return visible;
}

await main();
