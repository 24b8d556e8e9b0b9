/**
 * `npm run bench:idle`: memory of idle connections. Opens BENCH_IDLE_CONNECTIONS (10,000)
 * WebSocket connections to bare Socket.IO and to the real server (authenticated: 100 signed-up
 * users, each with its share of the sockets), measures the server's RSS growth per 1,000
 * connections, waits for a heartbeat (ping/pong) round, and checks that every connection is still
 * up and still answers a `message:send` (the real server answers an empty one `invalid_input`:
 * no storage, no fan-out). Target (issue 16): RSS per 1,000 connections <= 1.3x bare's.
 * The server runs on core BENCH_SERVER_CPUS (0), this process on BENCH_LOAD_CPUS (1).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { io, type Socket } from "socket.io-client";
import { RATE_LIMITS_OFF } from "../src/server/config.js";
import { freePort, killAllChildren, spawnNode, stop, waitHealthy } from "./lib/proc.js";
import { signUpUsers } from "./lib/signup.js";
import { fmt, table } from "./lib/stats.js";

const CONNECTIONS = Number(process.env.BENCH_IDLE_CONNECTIONS ?? 10_000);
const USERS = 100;
/** Socket.IO's default pingInterval (25 s) plus a margin: one heartbeat round for every socket. */
const HEARTBEAT_WAIT_MS = Number(process.env.BENCH_IDLE_HEARTBEAT_MS ?? 30_000);
const TARGET = 1.3;
const SERVER_CPUS = process.env.BENCH_SERVER_CPUS ?? "0";

const rssKb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);

interface IdleResult {
  variant: string;
  connected: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  perThousandMb: number;
  upAfterHeartbeat: number;
  answered: number;
  connectSeconds: number;
}

function connect(url: string, options: { cookie?: string; room: string }): Promise<Socket> {
  const socket = io(url, {
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    timeout: 60_000,
    ...(options.cookie
      ? { extraHeaders: { cookie: options.cookie, origin: url } }
      : { query: { rooms: options.room } }),
  });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (err) => reject(new Error(`connect_error: ${err.message}`)));
  });
}

async function measure(variant: string, real: boolean): Promise<IdleResult> {
  const dir = mkdtempSync(join(tmpdir(), "glasschat-bench-idle-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dir };
  if (real) {
    Object.assign(env, {
      NODE_ENV: "production",
      PUBLIC_URL: url,
      DATABASE_URL: `sqlite:${join(dir, "bench.db")}`,
      LOG_LEVEL: "warn",
      ...RATE_LIMITS_OFF,
    });
  }
  const entry = real ? "src/server/main.ts" : "bench/bare-server.ts";
  const server = spawnNode(entry, [], { env, cpus: SERVER_CPUS });
  const sockets: Socket[] = [];
  try {
    await waitHealthy(url, server);
    const pid = server.pid as number;
    const users = real ? await signUpUsers(url, USERS) : [];
    // One connection first, so that what the first one loads (modules, caches) is not counted.
    sockets.push(await connect(url, { cookie: users[0]?.cookie, room: "idle-0" }));
    await sleep(2000);
    const before = rssKb(pid);
    const start = performance.now();
    for (let i = 1; i < CONNECTIONS; i += 50) {
      const batch = [];
      for (let j = i; j < Math.min(CONNECTIONS, i + 50); j++)
        batch.push(connect(url, { cookie: users[j % USERS]?.cookie, room: `idle-${j}` }));
      sockets.push(...(await Promise.all(batch)));
    }
    const connectSeconds = (performance.now() - start) / 1000;
    await sleep(3000);
    const after = rssKb(pid);
    process.stderr.write(
      `  ${variant}: ${sockets.length} connected; waiting ${HEARTBEAT_WAIT_MS} ms for a heartbeat\n`,
    );
    await sleep(HEARTBEAT_WAIT_MS);
    const up = sockets.filter((s) => s.connected).length;
    let answered = 0;
    await Promise.all(
      sockets.map(async (s, i) => {
        const payload = real ? {} : { chatId: `idle-${i}`, body: "x", clientId: String(i) };
        const ack = await s
          .timeout(30_000)
          .emitWithAck("message:send", payload)
          .catch(() => undefined);
        if (ack) answered++;
      }),
    );
    return {
      variant,
      connected: sockets.length,
      rssBeforeMb: before / 1024,
      rssAfterMb: after / 1024,
      perThousandMb: ((after - before) / 1024 / (sockets.length - 1)) * 1000,
      upAfterHeartbeat: up,
      answered,
      connectSeconds,
    };
  } finally {
    for (const s of sockets) s.disconnect();
    await stop(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  console.log(`Idle connections: ${CONNECTIONS} per server, server on core ${SERVER_CPUS}`);
  const bare = await measure("bare socket.io", false);
  const real = await measure("glasschat (sqlite)", true);
  const rows = [bare, real];
  console.log(
    table(
      [
        "variant",
        "connected",
        "connect s",
        "RSS before MB",
        "RSS after MB",
        "MB per 1,000",
        "up after heartbeat",
        "answered",
      ],
      rows.map((r) => [
        r.variant,
        r.connected,
        Number(fmt(r.connectSeconds, 1)),
        Number(fmt(r.rssBeforeMb, 0)),
        Number(fmt(r.rssAfterMb, 0)),
        Number(fmt(r.perThousandMb, 2)),
        r.upAfterHeartbeat,
        r.answered,
      ]),
    ),
  );
  const ratio = real.perThousandMb / bare.perThousandMb;
  const allUp = rows.every((r) => r.upAfterHeartbeat === r.connected && r.answered === r.connected);
  console.log(
    `RSS per 1,000 connections vs bare: ${fmt(ratio, 2)}x (target <= ${TARGET}x): ${ratio <= TARGET ? "met" : "MISSED"}`,
  );
  console.log(`every connection up and answering after a heartbeat: ${allUp ? "met" : "MISSED"}`);
  return allUp ? 0 : 1;
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
