/**
 * The load generator, run as its own process by bench/run.ts:
 *   node --import tsx bench/load.ts '<LoadConfig JSON>'
 * Progress goes to stderr; the result is one JSON line (LoadResult) on stdout.
 *
 * Clients are paired two by two in direct chats. Each message body starts with its send time
 * (performance.now() of this process, which also receives it), so send-to-receive latency needs
 * no clock sync. Every clientId is unique in the run, which makes it the message's key for
 * matching acks with deliveries (losses, duplicates).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { io, type Socket } from "socket.io-client";
import { type ClientToServerEvents, EVENTS, type ServerToClientEvents } from "../src/protocol/index.js";
import { cpuShare, cpuSnapshot } from "./lib/cpu.js";
import { signUpUsers } from "./lib/signup.js";
import { percentiles } from "./lib/stats.js";
import type { LoadConfig, LoadResult } from "./lib/types.js";

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Client {
  index: number;
  chatId: string;
  socket: ClientSocket;
  nextN: number;
  inflight: number;
}

const cfg = JSON.parse(process.argv[2] ?? "{}") as LoadConfig;
const log = (msg: string) => process.stderr.write(`  [load ${cfg.target}/${cfg.scenario}] ${msg}\n`);
const FILLER = "hello from the glasschat bench, a message of ordinary length";

// --- bookkeeping -------------------------------------------------------------------------
let measureFrom = 0; // performance.now() after the warm-up
let sendUntil = 0; // no sends start after this
let sent = 0;
let ackTimeouts = 0;
let disconnects = 0;
let duplicates = 0;
let outOfOrder = 0;
let ackedInWindow = 0;
let deliveredInWindow = 0;
let stopping = false;
const ackErrors: Record<string, number> = {};
const acked = new Set<string>();
const received = new Set<string>();
const latencies: number[] = [];
const ackLatencies: number[] = [];
/** chatId -> every seq seen by either member (acks and deliveries). */
const seqsByChat = new Map<string, Set<number>>();
/** `${receiver}|${chatId}` -> highest seq received. */
const lastSeq = new Map<string, number>();

function noteSeq(chatId: string, seq: number): void {
  const seqs = seqsByChat.get(chatId);
  if (seqs) seqs.add(seq);
  else seqsByChat.set(chatId, new Set([seq]));
}

// --- connecting --------------------------------------------------------------------------
function connect(index: number, chatId: string, cookie: string | undefined): Promise<Client> {
  const urls = cfg.urls ?? [cfg.url];
  const url = urls[index % urls.length] as string;
  const socket: ClientSocket = io(url, {
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    timeout: 20_000,
    ...(cookie ? { extraHeaders: { cookie, origin: url } } : { query: { user: `u${index}`, rooms: chatId } }),
  });
  const client: Client = { index, chatId, socket, nextN: 0, inflight: 0 };
  socket.on(EVENTS.messageNew, (message) => {
    const now = performance.now();
    if (received.has(message.clientId)) {
      duplicates++;
      return;
    }
    received.add(message.clientId);
    noteSeq(message.chatId, message.seq);
    const key = `${index}|${message.chatId}`;
    if ((lastSeq.get(key) ?? 0) > message.seq) outOfOrder++;
    else lastSeq.set(key, message.seq);
    const sentAt = Number.parseFloat(message.body);
    if (sentAt >= measureFrom) latencies.push(now - sentAt);
    if (now >= measureFrom && now <= sendUntil) deliveredInWindow++;
  });
  socket.on("disconnect", (reason) => {
    if (!stopping) {
      disconnects++;
      log(`client ${index} disconnected: ${reason}`);
    }
  });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(client));
    socket.once("connect_error", (err) => reject(new Error(`client ${index} connect_error: ${err.message}`)));
  });
}

async function connectAll(): Promise<Client[]> {
  const users = cfg.target === "real" ? await signUpUsers(cfg.url, cfg.users) : undefined;
  const clients: Client[] = [];
  // A few dozen handshakes at a time, so connecting does not look like an attack.
  for (let i = 0; i < cfg.users; i += 25) {
    const batch = [];
    for (let j = i; j < Math.min(cfg.users, i + 25); j++) {
      const user = users?.[j];
      batch.push(connect(j, user ? user.chatId : `pair-${j >> 1}`, user?.cookie));
    }
    clients.push(...(await Promise.all(batch)));
  }
  return clients;
}

// --- sending -----------------------------------------------------------------------------
function send(client: Client, onDone: () => void): void {
  const clientId = `${client.index}-${client.nextN++}`;
  const sentAt = performance.now();
  sent++;
  client.inflight++;
  client.socket
    .timeout(cfg.ackTimeoutMs)
    .emit(
      EVENTS.messageSend,
      { chatId: client.chatId, body: `${sentAt} ${FILLER}`, clientId },
      (err, ack) => {
        const now = performance.now();
        client.inflight--;
        if (err) ackTimeouts++;
        else if (ack.ok) {
          acked.add(clientId);
          noteSeq(ack.message.chatId, ack.message.seq);
          if (sentAt >= measureFrom) ackLatencies.push(now - sentAt);
          if (now >= measureFrom && now <= sendUntil) ackedInWindow++;
        } else {
          ackErrors[ack.error.code] = (ackErrors[ack.error.code] ?? 0) + 1;
        }
        onDone();
      },
    );
}

/** Each client keeps up to `window` un-acked sends in flight, until sendUntil. */
function startThroughput(clients: Client[]): void {
  for (const client of clients) {
    const pump = () => {
      while (client.inflight < cfg.window && performance.now() < sendUntil) send(client, pump);
    };
    pump();
  }
}

/** Each client sends `rate` messages per second on a fixed schedule, with a random phase. */
function startLatency(clients: Client[], start: number): void {
  const period = 1000 / cfg.rate;
  for (const client of clients) {
    let due = start + Math.random() * period;
    const tick = () => {
      if (performance.now() >= sendUntil) return;
      send(client, () => {});
      due += period;
      setTimeout(tick, Math.max(0, due - performance.now()));
    };
    setTimeout(tick, Math.max(0, due - performance.now()));
  }
}

// --- the run -----------------------------------------------------------------------------
async function main(): Promise<void> {
  const setupStart = performance.now();
  const clients = await connectAll();
  // The server joins each socket to its chats on connect; give that a moment to settle.
  await sleep(300);
  const setupMs = Math.round(performance.now() - setupStart);
  log(`${clients.length} clients connected in ${setupMs} ms; sending for ${cfg.seconds} s`);

  const start = performance.now();
  measureFrom = start + cfg.warmupSeconds * 1000;
  sendUntil = start + cfg.seconds * 1000;
  if (cfg.scenario === "throughput") startThroughput(clients);
  else startLatency(clients, start);

  const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
  let cpuAtMeasureStart = cpuSnapshot(cfg.serverPid);
  let windowStartUs = monotonicUs();
  setTimeout(() => {
    cpuAtMeasureStart = cpuSnapshot(cfg.serverPid);
    windowStartUs = monotonicUs();
  }, measureFrom - performance.now());
  await sleep(Math.max(0, sendUntil - performance.now()));
  const cores = cpuShare(cpuAtMeasureStart, cpuSnapshot(cfg.serverPid));
  const windowMonotonicUs: [number, number] = [windowStartUs, monotonicUs()];
  // Wait for outstanding acks (each one times out anyway), then let deliveries drain.
  const ackDeadline = performance.now() + cfg.ackTimeoutMs + 500;
  while (clients.some((c) => c.inflight > 0) && performance.now() < ackDeadline) await sleep(20);
  await sleep(cfg.drainMs);
  stopping = true;

  let lost = 0;
  for (const id of acked) if (!received.has(id)) lost++;
  let deliveredUnacked = 0;
  for (const id of received) if (!acked.has(id)) deliveredUnacked++;
  let seqGaps = 0;
  for (const seqs of seqsByChat.values()) seqGaps += Math.max(...seqs) - seqs.size;

  const measuredSeconds = cfg.seconds - cfg.warmupSeconds;
  const result: LoadResult = {
    scenario: cfg.scenario,
    users: clients.length,
    setupMs,
    measuredSeconds,
    sent,
    acked: acked.size,
    ackErrors,
    ackTimeouts,
    delivered: received.size,
    deliveredPerSec: deliveredInWindow / measuredSeconds,
    ackedPerSec: ackedInWindow / measuredSeconds,
    latencyMs: percentiles(latencies),
    ackLatencyMs: percentiles(ackLatencies),
    lost,
    duplicates,
    deliveredUnacked,
    seqGaps,
    outOfOrder,
    disconnects,
    cores,
    windowMonotonicUs,
    serverCpuUsPerMessage:
      cores.server === undefined || deliveredInWindow === 0
        ? undefined
        : (cores.server * measuredSeconds * 1e6) / deliveredInWindow,
  };
  for (const c of clients) c.socket.disconnect();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

// Bounded even if something hangs: setup, sending, acks and drain, plus a margin.
const hardLimitMs = 120_000 + cfg.seconds * 1000 + cfg.ackTimeoutMs + cfg.drainMs;
setTimeout(() => {
  log(`still running after ${hardLimitMs} ms: giving up`);
  process.exit(2);
}, hardLimitMs).unref();

main().then(
  () => process.exit(0),
  (err: unknown) => {
    log(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
