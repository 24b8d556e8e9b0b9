import cluster, { type Worker } from "node:cluster";
import { randomBytes } from "node:crypto";
import type { Server, Socket } from "node:net";
import { rawErrorResponse } from "./http/raw-errors.js";

/**
 * The primary's half of `@socket.io/sticky` (the workers run the package's `setupWorker`), with one
 * change: connections go only to workers that said they are ready. The package's own primary picks
 * among every forked worker, so a worker being restarted would be handed connections while it is
 * still loading, before anything listens for them, and those requests would hang.
 *
 * Each new TCP connection is read up to its first chunk: a request naming an Engine.IO session
 * (`sid=` in the URL, i.e. HTTP long-polling) goes to the worker that holds that session, anything
 * else to the ready worker with the fewest sessions (counting handshakes handed over in the last few
 * seconds, so that a burst of connections spreads out; ties rotate). A request without a body is handed over with
 * its socket; one with a body stays here and is relayed chunk by chunk over IPC (as the package does).
 */
const PENDING_MS = 3000;

/**
 * Stops this process reading a socket that is being handed to a worker. Until the hand-off
 * completes the primary still holds the descriptor; a paused stream keeps reading into its buffer,
 * so bytes the client sends right after the worker's first answer (a WebSocket's first frame)
 * would be swallowed here and the connection would hang. `readStop` leaves them in the kernel for
 * the worker. (`pause()` does this itself only for sockets made with an `onread` buffer.)
 */
function stopReading(socket: Socket): void {
  socket.pause();
  (socket as unknown as { _handle?: { readStop?: () => number; reading?: boolean } })._handle?.readStop?.();
}

export function setupStickyPrimary(server: Server, isReady: (worker: Worker) => boolean): void {
  const sessionToWorker = new Map<string, number>();
  const sessionsOf = new Map<number, number>();
  const relayed = new Map<string, Socket>();
  /** Handshakes handed over but perhaps not yet reported as sessions, per worker. */
  const pending = new Map<number, number>();
  let rotation = 0;
  const sessions = (w: Worker) => sessionsOf.get(w.id) ?? 0;
  const load = (w: Worker) => sessions(w) + (pending.get(w.id) ?? 0);
  const notePending = (w: Worker) => {
    pending.set(w.id, (pending.get(w.id) ?? 0) + 1);
    setTimeout(() => pending.set(w.id, (pending.get(w.id) ?? 1) - 1), PENDING_MS).unref();
  };

  const pick = (header: string): Worker | undefined => {
    const sid = /sid=([\w-]{20})/.exec(header)?.[1];
    const bound = sid === undefined ? undefined : sessionToWorker.get(sid);
    const worker = bound === undefined ? undefined : cluster.workers?.[bound];
    if (worker && isReady(worker)) return worker;
    const candidates = Object.values(cluster.workers ?? {}).filter((w): w is Worker =>
      Boolean(w && isReady(w)),
    );
    rotation = (rotation + 1) % Math.max(1, candidates.length);
    let best: Worker | undefined;
    for (let i = 0; i < candidates.length; i++) {
      const w = candidates[(rotation + i) % candidates.length] as Worker;
      if (!best || load(w) < load(best)) best = w;
    }
    if (best && sid === undefined && /^GET \/socket\.io\//.test(header)) notePending(best);
    return best;
  };

  server.on("connection", (socket) => {
    let worker: Worker | undefined;
    let connectionId: string | undefined;
    const onSent = (error: Error | null) => {
      if (error) socket.destroy();
    };
    socket.on("error", () => socket.destroy());
    socket.on("data", (chunk: Buffer) => {
      if (connectionId) {
        if (worker?.isConnected())
          worker.send({ type: "sticky:http-chunk", data: chunk, connectionId }, onSent);
        else socket.destroy();
        return;
      }
      const end = chunk.indexOf("\r\n\r\n");
      const header = chunk.subarray(0, end === -1 ? chunk.length : end).toString("latin1");
      worker = pick(header);
      if (!worker) {
        socket.end(rawErrorResponse(503, "unavailable", "The server is starting or restarting. Try again."));
        return;
      }
      const lower = header.toLowerCase();
      if (!lower.includes("content-length:") && !lower.includes("transfer-encoding:")) {
        socket.removeAllListeners("data");
        stopReading(socket);
        worker.send({ type: "sticky:connection", data: chunk }, socket, onSent);
        return;
      }
      connectionId = randomBytes(8).toString("hex");
      relayed.set(connectionId, socket);
      worker.send(
        {
          type: "sticky:http-chunk-start",
          data: chunk,
          connectionId,
          socketInfo: {
            remoteAddress: socket.remoteAddress,
            remotePort: socket.remotePort,
            localAddress: socket.localAddress,
            localPort: socket.localPort,
          },
        },
        onSent,
      );
    });
    socket.on("close", () => {
      if (!connectionId || !relayed.delete(connectionId)) return;
      if (worker?.isConnected()) worker.send({ type: "sticky:abort", connectionId });
    });
  });

  cluster.on("message", (worker, message: { type?: string; data?: unknown; connectionId?: string }) => {
    const socket = message.connectionId === undefined ? undefined : relayed.get(message.connectionId);
    switch (message.type) {
      case "sticky:http-response":
        if (socket && !socket.destroyed) socket.write(message.data as Uint8Array);
        break;
      case "sticky:http-response-end":
        if (socket && !socket.destroyed) socket.end();
        relayed.delete(message.connectionId as string);
        break;
      case "sticky:http-response-destroy":
        if (socket && !socket.destroyed) socket.destroy();
        relayed.delete(message.connectionId as string);
        break;
      case "sticky:connection":
        sessionToWorker.set(message.data as string, worker.id);
        sessionsOf.set(worker.id, sessions(worker) + 1);
        break;
      case "sticky:disconnection":
        if (sessionToWorker.delete(message.data as string)) sessionsOf.set(worker.id, sessions(worker) - 1);
        break;
    }
  });

  cluster.on("exit", (worker) => {
    for (const [sid, id] of sessionToWorker) if (id === worker.id) sessionToWorker.delete(sid);
    sessionsOf.delete(worker.id);
    pending.delete(worker.id);
  });
}
