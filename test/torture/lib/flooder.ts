/**
 * The flood category's attacker, in a process of its own so that the bystanders' latencies are
 * measured by a process that is not itself saturated. Prints `ready` once connected, attacks when a
 * line arrives on stdin, and prints one JSON line with its counts.
 *   node --import tsx test/torture/lib/flooder.ts <json options>
 *
 * It is persistent for the whole `floodMs`: one connection sends as fast as its acknowledgements
 * allow (200 in flight) and, when dropped, connects again and goes on; meanwhile `handshakes`
 * connections from the same IP arrive at once.
 */
import { io, type Socket } from "socket.io-client";

interface Options {
  url: string;
  cookie: string;
  chatId: string;
  floodMs: number;
  handshakes: number;
}

/** How long the sender waits before connecting again after a refusal. */
const RETRY_MS = 100;

const options = JSON.parse(process.argv[2] ?? "{}") as Options;
const open = (): Socket =>
  io(options.url, {
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    timeout: 8000,
    extraHeaders: { cookie: options.cookie },
  });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Outcome = "connected" | "refused" | "timeout";

function outcome(socket: Socket): Promise<Outcome> {
  return new Promise((resolve) => {
    const done = (result: Outcome) => {
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(() => done("timeout"), 8000);
    socket.once("connect", () => done("connected"));
    socket.once("connect_error", () => done("refused"));
  });
}

const counts = { emitted: 0, accepted: 0, disconnects: 0, reconnectsRefused: 0 };

/** Floods on one connection until it is dropped or `until`; true when it was dropped. */
async function floodOn(socket: Socket, until: number): Promise<boolean> {
  let disconnected = false;
  socket.on("disconnect", () => {
    disconnected = true;
  });
  let inFlight = 0;
  while (Date.now() < until && !disconnected) {
    if (inFlight >= 200) {
      await sleep(1);
      continue;
    }
    inFlight++;
    const n = ++counts.emitted;
    socket.emit(
      "message:send",
      { chatId: options.chatId, body: `flood ${n}`, clientId: `f${n}` },
      (ack: { ok: boolean }) => {
        inFlight--;
        if (ack?.ok) counts.accepted++;
      },
    );
    if (n % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return disconnected;
}

async function sendFlood(first: Socket, started: number, until: number) {
  let socket: Socket | undefined = first;
  let firstDropS: number | undefined;
  while (Date.now() < until) {
    if (!socket) {
      const next = open();
      if ((await outcome(next)) !== "connected") {
        next.disconnect();
        counts.reconnectsRefused++;
        await sleep(RETRY_MS);
        continue;
      }
      socket = next;
    }
    if (await floodOn(socket, until)) {
      counts.disconnects++;
      firstDropS ??= (Date.now() - started) / 1000;
      socket = undefined;
    }
  }
  await sleep(500); // the last acknowledgements
  socket?.disconnect();
  if (firstDropS !== undefined)
    process.stderr.write(`  flood: the flooder was first disconnected after ${firstDropS} s\n`);
  return { ...counts, disconnected: counts.disconnects > 0, seconds: (Date.now() - started) / 1000 };
}

/** Handshakes refused outright (not merely slow) are what a per-IP limit shows. */
async function handshakeFlood() {
  const sockets = Array.from({ length: options.handshakes }, open);
  const results = await Promise.all(sockets.map(outcome));
  for (const s of sockets) s.disconnect();
  return {
    handshakesTried: results.length,
    handshakesAccepted: results.filter((r) => r === "connected").length,
    handshakesRefused: results.filter((r) => r === "refused").length,
  };
}

// The sending connection is made first: the handshake flood that follows is meant to meet the
// per-IP handshake limit, and would otherwise refuse the sender too.
const sender = open();
if ((await outcome(sender)) !== "connected") throw new Error("the flooder could not connect");
// Ready: the runner starts its latency sample now (not while this process was still loading) and
// says when to go.
process.stdout.write("ready\n");
await new Promise((resolve) => process.stdin.once("data", resolve));
const started = Date.now();
const until = started + options.floodMs;
const [sends, handshakes] = await Promise.all([sendFlood(sender, started, until), handshakeFlood()]);
process.stdout.write(`${JSON.stringify({ ...sends, ...handshakes })}\n`);
process.exit(0);
