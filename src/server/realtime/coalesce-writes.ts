import type { Server } from "socket.io";

interface Corkable {
  cork(): void;
  uncork(): void;
}

/** The TCP socket under a WebSocket connection (ws keeps it as `_socket`); none while polling. */
function tcpSocketOf(conn: { transport?: { name?: string; socket?: unknown } }): Corkable | undefined {
  const transport = conn.transport;
  if (transport?.name !== "websocket") return undefined;
  const tcp = (transport.socket as { _socket?: Partial<Corkable> } | undefined)?._socket;
  return typeof tcp?.cork === "function" && typeof tcp.uncork === "function" ? (tcp as Corkable) : undefined;
}

/**
 * Few writes per connection per event-loop turn instead of one per frame: everything sent to a
 * connection in a turn (an ack and the deliveries the same commit produced) leaves in two writes
 * (engine.io writes the first frame alone and the rest once that write is done). Each connection
 * that engine.io flushes to is corked, and every corked connection is uncorked once, from
 * `process.nextTick`, after the current callback and its promise continuations have run.
 * Not from `setImmediate`: a group commit resolves its sends inside a setImmediate callback, and
 * an immediate queued there waits for the next turn, after its poll phase: the acks would leave
 * only after the server had read the next sends, and the clients' next sends, answering those
 * acks, would miss the next commit (measured at saturation: commits of ~270 sends instead of
 * ~400, the cap being 500; bench/run.ts).
 */
export function coalesceWrites(io: Server): void {
  const corked = new Set<Corkable>();
  const uncorkAll = () => {
    for (const tcp of corked) tcp.uncork();
    corked.clear();
  };
  io.engine.on("flush", (conn: Parameters<typeof tcpSocketOf>[0]) => {
    const tcp = tcpSocketOf(conn);
    if (!tcp || corked.has(tcp)) return;
    if (corked.size === 0) process.nextTick(uncorkAll);
    tcp.cork();
    corked.add(tcp);
  });
}
