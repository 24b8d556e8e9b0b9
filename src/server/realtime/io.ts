import type { Server as HttpServer } from "node:http";
import { fastifyCookie } from "@fastify/cookie";
import { Server, type ServerOptions } from "socket.io";
import { LIMITS, UNAUTHORIZED_HANDSHAKE } from "../../protocol/index.js";
import type { AccountsService } from "../domain/accounts.service.js";
import { SESSION_COOKIE } from "../http/session.js";
import type { OriginPolicy } from "../origin.js";
import type { ChatsRepository } from "../storage/chats.repository.js";
import { coalesceWrites } from "./coalesce-writes.js";
import type { FloodOffenders } from "./flood-offenders.js";
import type { HandshakeGate } from "./handshake-gate.js";
import { rooms } from "./rooms.js";
import type { TurnPacer } from "./turn-pacer.js";
import type { GlasschatServer, GlasschatSocket } from "./types.js";

export interface IoOptions {
  origins: OriginPolicy;
  /** Cross-process fan-out (Redis); the default in-memory adapter serves a single process. */
  adapter?: ServerOptions["adapter"];
}

export function createIo(server: HttpServer, options: IoOptions): GlasschatServer {
  const io: GlasschatServer = new Server(server, {
    maxHttpBufferSize: LIMITS.frameBytes,
    serveClient: false,
    ...(options.adapter ? { adapter: options.adapter } : {}),
    // Socket.IO's `cors` option does not guard WebSocket upgrades; this check runs on every
    // handshake request, polling and WebSocket alike.
    allowRequest: (req, callback) =>
      callback(null, options.origins.hostAllowed(req) && options.origins.originAllowed(req)),
  });
  coalesceWrites(io);
  return io;
}

export interface HandshakeOptions {
  /** Counts handshakes per client IP as they arrive (gateHandshakes). */
  gate: HandshakeGate;
  /** Users just dropped for flooding: refused `rate_limited` for a while. */
  offenders: FloodOffenders;
  /** Paces authentications like the WebSocket upgrades (one per event-loop turn). */
  pace: TurnPacer;
  /** True once the server is shutting down: new connections are refused `unavailable`. */
  closing: () => boolean;
}

/**
 * Authenticates the handshake by the session cookie and loads the chats the socket will follow.
 * Each handshake costs a session lookup and a chat list: they are limited per client IP (counted,
 * and floods refused, by the handshake gate before Engine.IO; here the ones over the limit are told).
 */
export function authenticateSockets(
  io: GlasschatServer,
  accounts: AccountsService,
  chats: ChatsRepository,
  options: HandshakeOptions,
): void {
  const admit = async (socket: GlasschatSocket, next: (error?: Error) => void) => {
    if (options.closing()) return next(new Error("unavailable"));
    if (options.gate.overLimit(socket.request)) return next(new Error("rate_limited"));
    try {
      const token = fastifyCookie.parse(socket.request.headers.cookie ?? "")[SESSION_COOKIE];
      const session = await accounts.authenticate(token);
      if (!session) return next(new Error(UNAUTHORIZED_HANDSHAKE));
      if (options.offenders.barred(session.user.id)) return next(new Error("rate_limited"));
      socket.data = {
        userId: session.user.id,
        username: session.user.username,
        sessionId: session.sessionId,
        expiresAt: session.expiresAt,
        chatIds: await chats.chatIdsOf(session.user.id),
      };
      next();
    } catch {
      next(new Error("unavailable"));
    }
  };
  // Socket.IO connects a socket when its CONNECT packet arrives, and a burst of handshakes sends
  // those in bursts too: each authentication (and the connection work after it) gets a turn.
  io.use((socket, next) => options.pace(() => void admit(socket, next)));
  io.on("connection", (socket) => {
    const { userId, sessionId, chatIds } = socket.data;
    socket.join([rooms.user(userId), rooms.session(sessionId), ...chatIds.map(rooms.chat)]);
    socket.data.chatIds = [];
  });
}
