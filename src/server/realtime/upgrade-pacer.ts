import type { Server as HttpServer, IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";

type UpgradeListener = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Hands WebSocket upgrades to their listeners (Engine.IO's, and the error rewriting in front of
 * it) one per event-loop turn. A burst of hundreds of handshakes from one client would otherwise
 * run back to back in one turn, and every connected client's frames would wait behind all of
 * them; paced, the frames that arrive meanwhile are read between two handshakes. Call it once,
 * after every upgrade listener is attached.
 */
export function paceUpgrades(server: HttpServer): void {
  const listeners = server.listeners("upgrade") as UpgradeListener[];
  server.removeAllListeners("upgrade");
  const queue: Array<[IncomingMessage, Duplex, Buffer]> = [];
  let draining = false;

  const handOver = () => {
    const next = queue.shift();
    if (next && !next[1].destroyed) for (const listener of listeners) listener.apply(server, next);
    if (queue.length > 0) setImmediate(handOver);
    else draining = false;
  };

  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    queue.push([request, socket, head]);
    if (draining) return;
    draining = true;
    setImmediate(handOver);
  });
}
