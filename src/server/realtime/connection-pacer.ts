import type { Server as HttpServer } from "node:http";
import type { Socket } from "node:net";

/** New connections read at once in one event-loop turn; more wait for the next turns. */
const PER_TURN = 8;

/**
 * Reads new TCP connections at most PER_TURN per event-loop turn. Node accepts every connection
 * that is waiting in one pass and parses all their requests in the next, so hundreds arriving at
 * once from one client (a handshake flood: each answered 429 by the handshake gate, but parsed
 * first) would make every connected client's frames wait behind all of them. Paced, those frames
 * are read between two groups. Under ordinary load no connection waits: the first PER_TURN of a
 * turn are read at once.
 */
export function paceConnections(server: HttpServer): void {
  const waiting: Socket[] = [];
  let readThisTurn = 0;
  let turnScheduled = false;

  const nextTurn = () => {
    readThisTurn = 0;
    turnScheduled = false;
    while (waiting.length > 0 && readThisTurn < PER_TURN) {
      const socket = waiting.shift() as Socket;
      if (socket.destroyed) continue;
      readThisTurn++;
      socket.resume();
    }
    if (waiting.length > 0 || readThisTurn > 0) schedule();
  };
  const schedule = () => {
    if (turnScheduled) return;
    turnScheduled = true;
    setImmediate(nextTurn);
  };

  server.prependListener("connection", (socket: Socket) => {
    schedule();
    if (waiting.length === 0 && readThisTurn < PER_TURN) {
      readThisTurn++;
      return;
    }
    socket.pause();
    waiting.push(socket);
  });
}
