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
 * One write per connection per event-loop turn instead of one per frame: an ack and the
 * deliveries that the same commit produced (and everything else sent to that connection in the
 * turn) leave in one `writev`. Each connection that engine.io flushes to is corked, and every
 * corked connection is uncorked once, from `setImmediate`, after the turn's callbacks and
 * promise continuations have run. Nothing waits longer than the current turn.
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
    if (corked.size === 0) setImmediate(uncorkAll);
    tcp.cork();
    corked.add(tcp);
  });
}
