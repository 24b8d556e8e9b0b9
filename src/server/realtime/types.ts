import type { Server, Socket } from "socket.io";
import type { ClientToServerEvents, ServerToClientEvents } from "../../protocol/index.js";

export interface SocketData {
  userId: string;
  username: string;
  sessionId: string;
  /** When the session ends (epoch ms); kept current by `watchSessions`. */
  expiresAt: number;
  chatIds: string[];
}

// biome-ignore lint/complexity/noBannedTypes: Socket.IO's slot for inter-server events, which we do not use.
type InterServerEvents = {};

export type GlasschatServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
export type GlasschatSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
