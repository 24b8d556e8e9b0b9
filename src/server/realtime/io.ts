import type { Server as HttpServer } from "node:http";
import { fastifyCookie } from "@fastify/cookie";
import { Server, type ServerOptions } from "socket.io";
import { LIMITS, UNAUTHORIZED_HANDSHAKE } from "../../protocol/index.js";
import type { AccountsService } from "../domain/accounts.service.js";
import { SESSION_COOKIE } from "../http/session.js";
import type { OriginPolicy } from "../origin.js";
import type { ChatsRepository } from "../storage/chats.repository.js";
import { rooms } from "./rooms.js";
import type { GlasschatServer } from "./types.js";

export interface IoOptions {
  origins: OriginPolicy;
  /** Cross-process fan-out (Redis); the default in-memory adapter serves a single process. */
  adapter?: ServerOptions["adapter"];
}

export function createIo(server: HttpServer, options: IoOptions): GlasschatServer {
  return new Server(server, {
    maxHttpBufferSize: LIMITS.frameBytes,
    serveClient: false,
    ...(options.adapter ? { adapter: options.adapter } : {}),
    // Socket.IO's `cors` option does not guard WebSocket upgrades; this check runs on every
    // handshake request, polling and WebSocket alike.
    allowRequest: (req, callback) =>
      callback(null, options.origins.hostAllowed(req) && options.origins.originAllowed(req)),
  });
}

/** Authenticates the handshake by the session cookie and loads the chats the socket will follow. */
export function authenticateSockets(
  io: GlasschatServer,
  accounts: AccountsService,
  chats: ChatsRepository,
): void {
  io.use(async (socket, next) => {
    try {
      const token = fastifyCookie.parse(socket.request.headers.cookie ?? "")[SESSION_COOKIE];
      const session = await accounts.authenticate(token);
      if (!session) return next(new Error(UNAUTHORIZED_HANDSHAKE));
      socket.data = {
        userId: session.user.id,
        username: session.user.username,
        sessionId: session.sessionId,
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
