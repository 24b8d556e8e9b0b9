/**
 * `npm run seed:demo [-- --force]`: demo people with months of lively history, so a fresh install
 * shows a busy messenger and meaningful Insights at once. Uses the server's configuration
 * (DATABASE_URL / DATA_DIR). Idempotent: users and chats have fixed ids and a chat that already
 * has messages is left alone. Refuses a database with real (non-demo) users unless `--force`.
 */
import { pathToFileURL } from "node:url";
import { ConfigError, loadConfig } from "./config.js";
import { hashPassword } from "./domain/passwords.js";
import { rng } from "./seeded-random.js";
import { type DatabaseHandle, openDatabase } from "./storage/database.js";

export const DEMO_DOMAIN = "demo.glasschat.example";
export const DEMO_PASSWORD = "glasschat-demo";
const DAYS = 150;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

interface Person {
  name: string;
  /** Relative activity per local hour 0–23 (UTC is used as local time for the demo). */
  rhythm: number[];
}

// Night owls, early birds and office hours: each person has their own day.
const EVENING = [2, 1, 0.5, 0.2, 0.1, 0.1, 0.2, 0.6, 1, 1, 1, 1.5, 2, 1.5, 1, 1, 1.5, 2, 3, 4, 5, 5, 4, 3];
const MORNING = [0.2, 0.1, 0.1, 0.1, 0.2, 1, 3, 5, 5, 4, 3, 3, 3, 2, 2, 2, 2, 2, 2, 1.5, 1, 0.6, 0.3, 0.2];
const OFFICE = [0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 1, 3, 5, 5, 4, 4, 5, 5, 5, 4, 3, 2, 1.5, 1, 0.6, 0.3, 0.2];

export const DEMO_PEOPLE: Person[] = [
  { name: "ann", rhythm: EVENING },
  { name: "ben", rhythm: MORNING },
  { name: "chloe", rhythm: OFFICE },
  { name: "dev", rhythm: EVENING },
  { name: "emma", rhythm: OFFICE },
  { name: "farid", rhythm: MORNING },
];

/** Direct chats and how many conversations they have on an average day. */
const DEMO_CHATS: Array<[string, string, number]> = [
  ["ann", "ben", 3],
  ["ann", "chloe", 1.6],
  ["ann", "dev", 1],
  ["ann", "emma", 0.5],
  ["ann", "farid", 0.3],
  ["ben", "chloe", 1.2],
  ["dev", "emma", 0.8],
  ["chloe", "farid", 0.4],
];

const LINES = [
  "Morning! ☀️",
  "Are we still on for tonight?",
  "Yes, 7 at the usual place",
  "Running 10 minutes late, sorry",
  "No worries",
  "Did you see the match yesterday?",
  "That ending though 😅",
  "Can you send me the notes from the meeting?",
  "Sure, give me a minute",
  "Here they are",
  "Thanks a lot!",
  "Lunch?",
  "Give me 15 min",
  "How was the trip?",
  "Amazing, the mountains were unreal",
  "Pictures or it didn't happen",
  "Haha, uploading them now",
  "I'm thinking of getting a bike for commuting",
  "Do it, best decision I made last year",
  "Any recommendations for a good book?",
  "Just finished Project Hail Mary, loved it",
  "Adding it to my list",
  "Coffee tomorrow?",
  "Deal",
  "Good night 🌙",
  "Happy birthday!! 🎉",
  "Thank you!!",
  "The build is green again",
  "Finally",
  "Call later?",
  "ok",
  "👍",
  "On my way",
  "Can't believe it's already Friday",
  "What are you cooking tonight?",
  "Trying that curry recipe you sent",
  "Let me know how it goes",
  "It was great, thanks for the tip",
];

const demoEmail = (name: string) => `${name}@${DEMO_DOMAIN}`;
const userId = (name: string) => `u_demo_${name}`;
const chatId = (a: string, b: string) => `c_demo_${a}_${b}`;

function pickWeighted(weights: number[], random: () => number): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let pick = random() * total;
  for (const [i, w] of weights.entries()) {
    pick -= w;
    if (pick < 0) return i;
  }
  return weights.length - 1;
}

export interface SeedResult {
  status: "seeded" | "already-seeded" | "refused";
  users: number;
  messages: number;
  /** Why it refused. */
  reason?: string;
}

/** Seeds the demo data into an open database; `now` fixes the end of the history. */
export async function seedDemo(
  database: DatabaseHandle,
  options: { force?: boolean; now?: number } = {},
): Promise<SeedResult> {
  const { db } = database;
  const now = options.now ?? Date.now();
  const real = await db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("email", "not like", `%@${DEMO_DOMAIN}`)
    .executeTakeFirstOrThrow();
  if (Number(real.n) > 0 && !options.force) {
    return {
      status: "refused",
      users: 0,
      messages: 0,
      reason: `this database has ${real.n} real user(s); run with --force to add the demo users anyway`,
    };
  }

  const existing = new Set(
    (await db.selectFrom("users").select("id").where("email", "like", `%@${DEMO_DOMAIN}`).execute()).map(
      (u) => u.id,
    ),
  );
  const start = now - DAYS * DAY_MS;
  let users = 0;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const person of DEMO_PEOPLE) {
    if (existing.has(userId(person.name))) continue;
    await db
      .insertInto("users")
      .values({
        id: userId(person.name),
        email: demoEmail(person.name),
        username: person.name,
        password_hash: passwordHash,
        created_at: start,
      })
      .execute();
    users++;
  }

  let messages = 0;
  const people = new Map(DEMO_PEOPLE.map((p) => [p.name, p]));
  for (const [index, [a, b, perDay]] of DEMO_CHATS.entries()) {
    const id = chatId(a, b);
    const chat = await db.selectFrom("chats").select("last_seq").where("id", "=", id).executeTakeFirst();
    if (chat && chat.last_seq > 0) continue;
    const rows = conversation(people.get(a) as Person, people.get(b) as Person, perDay, start, now, index);
    const lastAt = rows.at(-1)?.at ?? start;
    await db.transaction().execute(async (trx) => {
      if (!chat) {
        await trx
          .insertInto("chats")
          .values({
            id,
            kind: "direct",
            direct_key: [userId(a), userId(b)].sort().join(":"),
            created_at: start,
            last_activity_at: lastAt,
          })
          .execute();
        await trx
          .insertInto("chat_members")
          .values([a, b].map((name) => ({ chat_id: id, user_id: userId(name), joined_at: start })))
          .execute();
      }
      for (let i = 0; i < rows.length; i += 500) {
        await trx
          .insertInto("messages")
          .values(
            rows.slice(i, i + 500).map((row, j) => ({
              chat_id: id,
              seq: i + j + 1,
              rev: i + j + 1,
              created_rev: i + j + 1,
              sender_id: userId(row.from),
              client_id: `demo-${i + j + 1}`,
              body: row.body,
              created_at: row.at,
            })),
          )
          .execute();
      }
      await trx
        .updateTable("chats")
        .set({ last_seq: rows.length, last_rev: rows.length, last_activity_at: lastAt })
        .where("id", "=", id)
        .execute();
      // Everything read: the demo opens without a wall of unread badges.
      await trx
        .updateTable("chat_members")
        .set({ read_seq: rows.length })
        .where("chat_id", "=", id)
        .execute();
    });
    messages += rows.length;
  }
  if (users === 0 && messages === 0) return { status: "already-seeded", users, messages };
  return { status: "seeded", users, messages };
}

/**
 * One chat's history: on each day some conversations (fewer at weekends for office people), each
 * starting at an hour one of the two is likely awake, then turns with human reply delays.
 */
function conversation(
  a: Person,
  b: Person,
  perDay: number,
  start: number,
  now: number,
  seed: number,
): Array<{ from: string; body: string; at: number }> {
  const random = rng(1000 + seed);
  const rows: Array<{ from: string; body: string; at: number }> = [];
  for (let day = 0; day < DAYS; day++) {
    const dayStart = start - (start % DAY_MS) + day * DAY_MS;
    const weekday = new Date(dayStart).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    // Slow growth over the months, weekend dips for office workers.
    const level = perDay * (0.6 + (0.8 * day) / DAYS) * (weekend && a.rhythm === OFFICE ? 0.4 : 1);
    let sessions = Math.floor(level) + (random() < level % 1 ? 1 : 0);
    while (sessions-- > 0) {
      const starter = random() < 0.5 ? a : b;
      let at = dayStart + pickWeighted(starter.rhythm, random) * HOUR_MS + Math.floor(random() * HOUR_MS);
      let speaker = starter;
      const turns = 2 + Math.floor(random() * 12);
      for (let t = 0; t < turns && at < now; t++) {
        rows.push({ from: speaker.name, body: LINES[Math.floor(random() * LINES.length)] ?? "hi", at });
        // Mostly quick replies, sometimes minutes, now and then hours.
        const r = random();
        const delay =
          r < 0.6
            ? 5_000 + random() * 60_000
            : r < 0.9
              ? 60_000 + random() * 900_000
              : random() * 4 * HOUR_MS;
        at += Math.floor(delay);
        if (random() < 0.7) speaker = speaker === a ? b : a;
      }
    }
  }
  return rows.filter((r) => r.at < now).sort((x, y) => x.at - y.at);
}

async function main(): Promise<void> {
  const force = process.argv.includes("--force");
  const config = loadConfig();
  const database = await openDatabase(config.database);
  try {
    const result = await seedDemo(database, { force });
    if (result.status === "refused") {
      process.stderr.write(`seed:demo refused: ${result.reason}.\n`);
      process.exitCode = 1;
      return;
    }
    process.stdout.write(
      result.status === "already-seeded"
        ? "Demo data is already there; nothing changed.\n"
        : `Seeded ${result.users} demo users and ${result.messages} messages over ${DAYS} days.\n`,
    );
    process.stdout.write(`\nLog in as any of (password "${DEMO_PASSWORD}"):\n`);
    for (const person of DEMO_PEOPLE) process.stdout.write(`  ${demoEmail(person.name)}\n`);
  } finally {
    await database.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `seed:demo failed: ${error instanceof ConfigError ? error.message : (error as Error).message}\n`,
    );
    process.exit(1);
  });
}
