import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import type { Category } from "../lib/category.js";
import { TcpProxy } from "../lib/proxy.js";
import { startServer, type TortureServer } from "../lib/server.js";
import { connectedSocket, send, socketTo, whenConnected } from "../lib/sockets.js";
import { signUp, startChat } from "../lib/users.js";
import { sleep } from "../lib/wait.js";

const HALF_OPEN = 10;
/** Socket.IO's defaults: a ping every 25 s, 20 s to answer it. */
const FREED_WITHIN_S = 45;
/** The polling loop below looks every few hundred ms and may start just after a ping. */
const MEASURE_SLACK_S = 2;

/** Connected sockets as the server counts them: /metrics from loopback. */
async function serverSockets(server: TortureServer): Promise<number | undefined> {
  const answer = await fetch(`${server.url}/metrics`, { signal: AbortSignal.timeout(5000) }).catch(
    () => undefined,
  );
  if (!answer?.ok) return undefined;
  let total = 0;
  for (const line of (await answer.text()).split("\n"))
    if (line.startsWith("glasschat_connected_sockets")) total += Number(line.split(" ").pop());
  return total;
}

/** Established TCP connections to the server's port (Linux /proc/net/tcp), when /metrics is closed. */
function establishedTo(port: number): number {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  return readFileSync("/proc/net/tcp", "utf8")
    .split("\n")
    .filter((line) => {
      const cols = line.trim().split(/\s+/);
      return cols[1]?.endsWith(`:${hex}`) && cols[3] === "01";
    }).length;
}

const fdTargets = (pid: number): string[] => {
  try {
    return readdirSync(`/proc/${pid}/fd`).map((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        return "?";
      }
    });
  } catch {
    return [];
  }
};
const openFds = (pid: number) => fdTargets(pid).length;

export const fault: Category = {
  name: "fault",
  background: true,
  budgetMs: () => 170_000,
  async run(ctx, report) {
    const server = await startServer(ctx.defer.bind(ctx), { limits: "relaxed" });
    report.value("limits", "relaxed");
    const proxy = new TcpProxy(server.port);
    await proxy.listen();
    ctx.defer(() => proxy.close());
    const victim = await signUp(ctx, server.url, "halfopen");
    const friend = await signUp(ctx, server.url, "friend");
    const chatId = await startChat(friend, victim);
    const friendSocket = await connectedSocket(ctx, server.url, friend.cookie);
    const count = async () => (await serverSockets(server)) ?? establishedTo(server.port);
    report.value(
      "socket_count_from",
      (await serverSockets(server)) === undefined ? "proc_net_tcp" : "metrics",
    );
    // Warm up first: the first send opens the database writer (its own files and threads).
    await send(friendSocket, { chatId, body: "warm-up", clientId: ctx.hex(16) });
    await sleep(500);
    const before = await count();
    const fdsBefore = openFds(server.pid);
    const targetsBefore = fdTargets(server.pid);
    const rssBefore = server.rssMb();

    for (let i = 0; i < HALF_OPEN; i++) {
      const s = socketTo(ctx, proxy.url, victim.cookie);
      if (!(await whenConnected(s))) throw new Error("a socket through the proxy did not connect");
    }
    const withThem = await count();
    proxy.set("blackhole");
    const started = Date.now();
    // Messages keep coming for the half-open sockets meanwhile: the server must not hoard them.
    let freedAfter = Number.POSITIVE_INFINITY;
    for (let n = 0; Date.now() - started < (FREED_WITHIN_S + 10) * 1000; n++) {
      await send(
        friendSocket,
        { chatId, body: `into the void ${n} ${"x".repeat(2000)}`, clientId: ctx.hex(16) },
        5000,
      );
      if ((await count()) <= before) {
        freedAfter = (Date.now() - started) / 1000;
        break;
      }
      await sleep(200);
    }
    // The TCP connections themselves may linger for the WebSocket closing handshake (30 s in ws),
    // but no longer.
    const fdsDeadline = Date.now() + 40_000;
    while (openFds(server.pid) > fdsBefore + 2 && Date.now() < fdsDeadline) await sleep(500);
    const fdsAfter = openFds(server.pid);
    if (fdsAfter > fdsBefore + 2) {
      const kinds = (list: string[]) => list.map((t) => t.replace(/\d+/g, "N"));
      const extra = kinds(fdTargets(server.pid));
      for (const k of kinds(targetsBefore)) extra.splice(extra.indexOf(k), extra.includes(k) ? 1 : 0);
      report.note(`file descriptors left over: ${extra.join(" ")}`);
    }
    report.value("fds_freed_after_s", ((Date.now() - started) / 1000).toFixed(1));
    report.value("half_open", HALF_OPEN);
    report.value("sockets", `${before}->${withThem}->${await count()}`);
    report.check(
      "freed_after_s",
      Number.isFinite(freedAfter) ? freedAfter.toFixed(1) : "never",
      freedAfter <= FREED_WITHIN_S + MEASURE_SLACK_S,
      `half-open sockets not freed within ${FREED_WITHIN_S} s`,
    );
    report.check(
      "fds_leaked",
      fdsAfter - fdsBefore,
      fdsAfter - fdsBefore <= 2,
      "the server kept file descriptors of the dead sockets",
    );
    report.value("rss_growth_mb", Math.round(server.rssMb() - rssBefore));
    report.zero("crashes", server.unexpectedExits);
  },
};
