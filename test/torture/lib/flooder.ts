/**
 * The flood category's attacker, in a process of its own so that the bystanders' latencies are
 * measured by a process that is not itself saturated. Prints one JSON line with its counts.
 *   node --import tsx test/torture/lib/flooder.ts <json options>
 */
import { io, type Socket } from "socket.io-client";

interface Options {
  url: string;
  cookie: string;
  chatId: string;
  floodMs: number;
  handshakes: number;
}

const options = JSON.parse(process.argv[2] ?? "{}") as Options;
const open = (): Socket =>
  io(options.url, {
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    timeout: 8000,
    extraHeaders: { cookie: options.cookie },
  });

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

async function sendFlood(socket: Socket): Promise<{
  emitted: number;
  accepted: number;
  disconnected: boolean;
  seconds: number;
}> {
  let disconnected = false;
  let reason = "";
  socket.on("disconnect", (why) => {
    disconnected = true;
    reason = why;
  });
  let emitted = 0;
  let accepted = 0;
  let inFlight = 0;
  const started = Date.now();
  while (Date.now() - started < options.floodMs && !disconnected) {
    if (inFlight >= 200) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      continue;
    }
    inFlight++;
    emitted++;
    socket.emit(
      "message:send",
      { chatId: options.chatId, body: `flood ${emitted}`, clientId: `f${emitted}` },
      (ack: { ok: boolean }) => {
        inFlight--;
        if (ack?.ok) accepted++;
      },
    );
    if (emitted % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  const seconds = (Date.now() - started) / 1000;
  const stopped = disconnected;
  if (disconnected)
    process.stderr.write(`  flood: the flooder was disconnected after ${seconds} s (${reason})\n`);
  await new Promise((resolve) => setTimeout(resolve, 500));
  socket.disconnect();
  return { emitted, accepted, disconnected: stopped, seconds };
}

/** Handshakes refused outright (not merely slow) are what a per-IP limit shows. */
async function handshakeFlood(): Promise<{ handshakesAccepted: number; handshakesRefused: number }> {
  const sockets = Array.from({ length: options.handshakes }, open);
  const results = await Promise.all(sockets.map(outcome));
  for (const s of sockets) s.disconnect();
  return {
    handshakesAccepted: results.filter((r) => r === "connected").length,
    handshakesRefused: results.filter((r) => r === "refused").length,
  };
}

// The sending connection is made first: the handshake flood that follows is meant to meet the
// per-IP handshake limit, and would otherwise refuse the sender too.
const sender = open();
if ((await outcome(sender)) !== "connected") throw new Error("the flooder could not connect");
const [sends, handshakes] = await Promise.all([sendFlood(sender), handshakeFlood()]);
process.stdout.write(`${JSON.stringify({ ...sends, ...handshakes })}\n`);
process.exit(0);
