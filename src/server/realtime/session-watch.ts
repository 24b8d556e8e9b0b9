import type { Logger } from "pino";
import type { SessionsRepository } from "../storage/sessions.repository.js";
import type { GlasschatServer, GlasschatSocket } from "./types.js";

/** setTimeout's longest delay; a session further away is re-armed when this fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const CHUNK = 500;

export interface SessionWatchOptions {
  /** How often each node re-reads the sessions of its own sockets. */
  checkIntervalMs: number;
  now: () => number;
  log: Logger;
}

/**
 * Sockets end with their session. Logout disconnects a session's sockets on every node at once
 * (through its room and the adapter); this covers the rest on each node by itself: a timer per
 * socket at its session's expiry, and a periodic re-read of the sessions of the node's sockets
 * (a session deleted or expired behind our back, or a logout broadcast missed while Redis was
 * away). Both re-read the database first, since HTTP activity slides a session's expiry forward.
 */
export function watchSessions(
  io: GlasschatServer,
  sessions: Pick<SessionsRepository, "expiriesOf">,
  options: SessionWatchOptions,
): { stop(): void } {
  const { now, log } = options;
  const timers = new Map<string, NodeJS.Timeout>();

  function arm(socket: GlasschatSocket): void {
    clearTimeout(timers.get(socket.id));
    const delay = Math.min(Math.max(socket.data.expiresAt - now(), 0), MAX_TIMER_MS);
    const timer = setTimeout(() => void recheck([socket], true), delay);
    timer.unref();
    timers.set(socket.id, timer);
  }

  async function recheck(sockets: GlasschatSocket[], expiring: boolean): Promise<void> {
    let live: Map<string, number>;
    try {
      live = await sessions.expiriesOf([...new Set(sockets.map((s) => s.data.sessionId))], now());
    } catch (error) {
      // Until the database answers, events past the expiry are refused by the handlers.
      log.warn({ err: error }, "session check failed");
      return;
    }
    for (const socket of sockets) {
      if (!socket.connected) continue;
      const expiresAt = live.get(socket.data.sessionId);
      if (expiresAt === undefined) {
        socket.disconnect(true);
      } else if (expiring || expiresAt !== socket.data.expiresAt) {
        socket.data.expiresAt = expiresAt;
        arm(socket);
      }
    }
  }

  io.on("connection", (socket) => {
    arm(socket);
    socket.on("disconnect", () => {
      clearTimeout(timers.get(socket.id));
      timers.delete(socket.id);
    });
  });

  const tick = setInterval(() => {
    const local = [...io.of("/").sockets.values()];
    for (let i = 0; i < local.length; i += CHUNK) void recheck(local.slice(i, i + CHUNK), false);
  }, options.checkIntervalMs);
  tick.unref();

  return {
    stop() {
      clearInterval(tick);
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
