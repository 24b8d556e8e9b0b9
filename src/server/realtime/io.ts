import type { Server as HttpServer } from "node:http";
import { fastifyCookie } from "@fastify/cookie";
import { Server, type ServerOptions } from "socket.io";
import { LIMITS, UNAUTHORIZED_HANDSHAKE } from "../../protocol/index.js";
import type { AccountsService } from "../domain/accounts.service.js";
import { RateLimiter } from "../domain/rate-limiter.js";
import { SESSION_COOKIE } from "../http/session.js";
import type { OriginPolicy } from "../origin.js";
import type { ChatsRepository } from "../storage/chats.repository.js";
import { coalesceWrites } from "./coalesce-writes.js";
import { rooms } from "./rooms.js";
import type { GlasschatServer } from "./types.js";

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
  /** Handshakes per client IP per minute (0: no limit). */
  handshakesPerMinute: number;
  trustProxy: boolean;
  /** True once the server is shutting down: new connections are refused `unavailable`. */
  closing: () => boolean;
}

/**
 * Authenticates the handshake by the session cookie and loads the chats the socket will follow.
 * Each handshake costs a session lookup and a chat list: they are limited per client IP.
 */
export function authenticateSockets(
  io: GlasschatServer,
  accounts: AccountsService,
  chats: ChatsRepository,
  options: HandshakeOptions,
): void {
  const handshakes = new RateLimiter(options.handshakesPerMinute, 60_000);
  io.use(async (socket, next) => {
    if (options.closing()) return next(new Error("unavailable"));
    if (handshakes.hit(clientIp(socket.handshake, options.trustProxy)) > 0)
      return next(new Error("rate_limited"));
    try {
      const token = fastifyCookie.parse(socket.request.headers.cookie ?? "")[SESSION_COOKIE];
      const session = await accounts.authenticate(token);
      if (!session) return next(new Error(UNAUTHORIZED_HANDSHAKE));
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
  });
  io.on("connection", (socket) => {
    const { userId, sessionId, chatIds } = socket.data;
    socket.join([rooms.user(userId), rooms.session(sessionId), ...chatIds.map(rooms.chat)]);
    socket.data.chatIds = [];
  });
}

/** Behind a trusted proxy, the address that proxy saw (the last hop it appended), else the peer's. */
function clientIp(handshake: { address: string; headers: Record<string, unknown> }, trustProxy: boolean) {
  const forwarded = handshake.headers["x-forwarded-for"];
  if (!trustProxy || typeof forwarded !== "string") return handshake.address;
  return forwarded.split(",").at(-1)?.trim() || handshake.address;
}
