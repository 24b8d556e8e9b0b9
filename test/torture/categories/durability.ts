import { execFileSync } from "node:child_process";
import Database from "better-sqlite3";
import type { Socket } from "socket.io-client";
import type { Category } from "../lib/category.js";
import type { Context } from "../lib/context.js";
import { Journal, pump } from "../lib/journal.js";
import { TcpProxy } from "../lib/proxy.js";
import type { Report } from "../lib/report.js";
import { startServer, type TortureServer } from "../lib/server.js";
import { connectedSocket, send, socketTo, whenConnected } from "../lib/sockets.js";
import { type Account, history, signUp, startChat } from "../lib/users.js";
import { sleep } from "../lib/wait.js";

const KILLS = Number(process.env.TORTURE_KILLS ?? 20);

interface Writers {
  users: Account[];
  chats: string[];
}

/** Four users in two chats; each user sends into its chat. */
async function writers(ctx: Context, url: string): Promise<Writers> {
  const users = [
    await signUp(ctx, url, "wa"),
    await signUp(ctx, url, "wb"),
    await signUp(ctx, url, "wc"),
    await signUp(ctx, url, "wd"),
  ];
  const chats = [await startChat(users[0]!, users[1]!), await startChat(users[2]!, users[3]!)];
  return { users, chats };
}

const chatOf = (w: Writers, i: number) => w.chats[Math.floor(i / 2)] as string;

/** Everything stored, checked against the journal. */
async function verify(
  w: Writers,
  journal: Journal,
): Promise<{ lost: number; doubled: number; gaps: number; stored: number }> {
  const stored = new Map<string, { seq: number; body: string }>();
  let doubled = 0;
  let gaps = 0;
  let count = 0;
  for (let c = 0; c < w.chats.length; c++) {
    const messages = await history(w.users[c * 2]!, w.chats[c]!);
    count += messages.length;
    const seen = new Set<string>();
    messages.forEach((m, i) => {
      if (m.seq !== i + 1) gaps++;
      const key = `${m.sender.id} ${m.clientId}`;
      if (seen.has(key)) doubled++;
      seen.add(key);
      stored.set(m.id, { seq: m.seq, body: m.body });
    });
  }
  let lost = 0;
  for (const message of journal.acked.values()) {
    const found = stored.get(message.id);
    if (!found || found.body !== message.body || found.seq !== message.seq) lost++;
  }
  return { lost, doubled: doubled + journal.conflicts, gaps, stored: count };
}

/** Sends from all four writers until `stop()`; resolves when every send has its outcome. */
async function sendAll(
  ctx: Context,
  server: TortureServer,
  w: Writers,
  journal: Journal,
  tag: string,
  stop: () => boolean,
) {
  const sockets: Socket[] = [];
  for (const user of w.users) sockets.push(await connectedSocket(ctx, server.url, user.cookie));
  const sent = await Promise.all(
    sockets.map((s, i) => pump(s, chatOf(w, i), `${tag}u${i}`, journal, stop, { ackMs: 20_000 })),
  );
  for (const s of sockets) s.disconnect();
  return sent.reduce((a, b) => a + b, 0);
}

/** Retries some unanswered sends with their clientId: idempotency must hold across a crash. */
async function retryUnanswered(
  ctx: Context,
  server: TortureServer,
  w: Writers,
  journal: Journal,
): Promise<void> {
  const sockets = new Map<number, Socket>();
  for (const [clientId, payload] of [...journal.unanswered].slice(0, 40)) {
    const user = Number(/u(\d+)-/.exec(clientId)?.[1] ?? 0);
    let socket = sockets.get(user);
    if (!socket) {
      socket = await connectedSocket(ctx, server.url, w.users[user]!.cookie);
      sockets.set(user, socket);
    }
    journal.record(clientId, await send(socket, { ...payload, clientId }), payload);
  }
  for (const s of sockets.values()) s.disconnect();
}

/** Waits for a send to be acknowledged again after an outage, without a restart. */
async function recovers(
  ctx: Context,
  server: TortureServer,
  w: Writers,
  journal: Journal,
  ms: number,
): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const socket = socketTo(ctx, server.url, w.users[0]!.cookie);
    if (await whenConnected(socket, 3000)) {
      const clientId = `r${ctx.hex(10)}u0-x`;
      const payload = { chatId: chatOf(w, 0), body: "after the outage" };
      const ack = await send(socket, { ...payload, clientId }, 5000);
      journal.record(clientId, ack, payload);
      if (ack?.ok) {
        socket.disconnect();
        return true;
      }
    }
    socket.disconnect();
    await sleep(250);
  }
  return false;
}

export const durability: Category = {
  name: "durability",
  budgetMs: () => 240_000,
  async run(ctx, report) {
    // Rate limits off: the point is sending at full speed.
    report.value("limits", "relaxed");
    if (process.env.TORTURE_DEBUG !== "pg") await kills(ctx, report);
    await postgresCut(ctx, report);
  },
};

async function kills(ctx: Context, report: Report): Promise<void> {
  const server = await startServer(ctx.defer.bind(ctx), { limits: "relaxed" });
  const w = await writers(ctx, server.url);
  const journal = new Journal();
  for (let k = 0; k < KILLS; k++) {
    if (k > 0) {
      await server.start();
      await retryUnanswered(ctx, server, w, journal);
    }
    const killAt = Date.now() + 300 + ctx.int(1200);
    const sending = sendAll(ctx, server, w, journal, `k${k}`, () => Date.now() >= killAt);
    while (Date.now() < killAt) await sleep(10);
    await server.kill();
    await sending;
  }
  await server.start();
  await retryUnanswered(ctx, server, w, journal);
  const afterKills = await verify(w, journal);
  report.value("kills", KILLS);
  report.zero("acked_lost", afterKills.lost);
  report.value("acked_lost", `${afterKills.lost}/${journal.acked.size}`);
  report.zero("doubled", afterKills.doubled);
  report.zero("seq_gaps", afterKills.gaps);

  // The database unavailable while the server runs: locked by another writer, then full.
  const episode = new Journal();
  let stop = false;
  const sending = sendAll(ctx, server, w, episode, "lock", () => stop);
  await sleep(500);
  const locker = new Database(server.sqlitePath, { timeout: 1000 });
  locker.exec("BEGIN IMMEDIATE");
  await sleep(7000); // longer than the server's busy timeout (5 s)
  locker.exec("ROLLBACK");
  locker.close();
  await sleep(500);
  stop = true;
  await sending;
  const lockedRefused = episode.unavailable;
  const afterLock = await recovers(ctx, server, w, episode, 15_000);

  // Full: the file size limit of the server process (RLIMIT_FSIZE, soft) set to 0 for 5 s.
  stop = false;
  const sendingFull = sendAll(ctx, server, w, episode, "full", () => stop);
  await sleep(300);
  // No file of the server may grow by a byte: the disk is full.
  execFileSync("prlimit", ["--pid", String(server.pid), "--fsize=0:unlimited"]);
  await sleep(5000);
  execFileSync("prlimit", ["--pid", String(server.pid), "--fsize=unlimited:unlimited"]);
  await sleep(500);
  stop = true;
  await sendingFull;
  const fullRefused = episode.unavailable - lockedRefused;
  const afterFull = await recovers(ctx, server, w, episode, 15_000);
  const afterEpisodes = await verify(w, episode);
  await server.stop();
  const db = new Database(server.sqlitePath, { readonly: true });
  const integrity = String(db.pragma("integrity_check", { simple: true }));
  db.close();

  report.check("integrity", integrity, integrity === "ok", "SQLite integrity_check failed");
  report.zero("acked_and_lost", afterEpisodes.lost);
  report.value("refused_unavailable", `locked:${lockedRefused},full:${fullRefused}`);
  report.check(
    "recovered",
    afterLock && afterFull ? "yes" : "no",
    afterLock && afterFull,
    "sends stayed refused after the database came back",
  );
  report.zero("crashes", server.unexpectedExits);
}

async function postgresCut(ctx: Context, report: Report): Promise<void> {
  if (!process.env.TEST_DATABASE_URL) {
    report.value("postgres", "skipped(no_TEST_DATABASE_URL)");
    if (process.env.CI === "true") report.fail("CI=true but TEST_DATABASE_URL is not set");
    return;
  }
  // Imported here: the module warns at import when PostgreSQL is not configured.
  const { createTestDatabase } = await import("../../support/databases.js");
  const database = await createTestDatabase("postgres");
  ctx.defer(() => database.drop());
  const target = new URL(database.url);
  const proxy = new TcpProxy(Number(target.port || 5432));
  await proxy.listen();
  ctx.defer(() => proxy.close());
  target.host = `127.0.0.1:${proxy.port}`;
  const server = await startServer(ctx.defer.bind(ctx), {
    limits: "relaxed",
    databaseUrl: target.toString(),
  });
  const w = await writers(ctx, server.url);
  const journal = new Journal();
  let stop = false;
  const sending = sendAll(ctx, server, w, journal, "pg", () => stop);
  await sleep(1000);
  proxy.set("cut");
  await sleep(5000);
  proxy.set("pass");
  await sleep(500);
  stop = true;
  await sending;
  if (!server.alive) {
    report.note(`the server died while PostgreSQL was cut off: ${server.output().slice(-2500)}`);
    await server.start();
  }
  const recovered = await recovers(ctx, server, w, journal, 20_000);
  const result = await verify(w, journal);
  report.zero("pg_acked_and_lost", result.lost);
  report.zero("pg_doubled", result.doubled);
  report.value("pg_refused_unavailable", journal.unavailable);
  report.value("pg_unanswered", journal.unanswered.size);
  report.check(
    "pg_recovered",
    recovered ? "yes" : "no",
    recovered,
    "sends stayed refused after PostgreSQL came back",
  );
  report.zero("pg_crashes", server.unexpectedExits);
}
