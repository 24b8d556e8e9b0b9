import type { Server as HttpServer, IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { TurnPacer } from "./turn-pacer.js";

type UpgradeListener = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Hands WebSocket upgrades to their listeners (Engine.IO's, and the error rewriting in front of
 * it) through `pace`, one per event-loop turn: a burst of hundreds of handshakes from one client
 * would otherwise run back to back in one turn, and every connected client's frames would wait
 * behind all of them. Call it once, after every upgrade listener is attached.
 */
export function paceUpgrades(server: HttpServer, pace: TurnPacer): void {
  const listeners = server.listeners("upgrade") as UpgradeListener[];
  server.removeAllListeners("upgrade");
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (socket.destroyed) return; // refused by a listener in front (the handshake gate)
    pace(() => {
      if (!socket.destroyed) for (const listener of listeners) listener.call(server, request, socket, head);
    });
  });
}
