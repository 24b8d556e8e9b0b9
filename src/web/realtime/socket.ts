import { io } from "socket.io-client";
import type { ChatSocket } from "../../client/send.js";

export type { ChatSocket };

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 5_000;

/**
 * The one typed socket. Same origin, authenticated by the session cookie; socket.io-client
 * reconnects by itself with backoff, and the messenger catches up over HTTP after each reconnect.
 */
export function createSocket(): ChatSocket {
  return io({
    path: "/socket.io",
    withCredentials: true,
    autoConnect: false,
    reconnectionDelay: RECONNECT_MIN_MS,
    reconnectionDelayMax: RECONNECT_MAX_MS,
  });
}

/**
 * socket.io-client retries a lost connection by itself, but not a handshake the server answered
 * with an error (`unavailable` while its database is down, `rate_limited`): that one is retried
 * here, with the same backoff and jitter. Call `refused` on such a `connect_error`, `reset` on connect.
 */
export function createHandshakeRetry(socket: ChatSocket) {
  let attempts = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    refused(): void {
      if (socket.active) return; // a transport failure: the manager is already reconnecting
      clearTimeout(timer);
      const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** attempts++);
      timer = setTimeout(() => socket.connected || socket.connect(), ceiling * (0.5 + Math.random() / 2));
    },
    reset(): void {
      attempts = 0;
      clearTimeout(timer);
    },
  };
}
