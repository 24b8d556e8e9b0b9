import { io, type Socket } from "socket.io-client";
import { EVENTS } from "../../protocol/events.js";
import type {
  ClientToServerEvents,
  MessageSendPayload,
  SendAck,
  ServerToClientEvents,
} from "../../protocol/index.js";

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long a send waits for the server's acknowledgement before it counts as failed. */
export const SEND_TIMEOUT_MS = 10_000;

/**
 * The one typed socket. Same origin, authenticated by the session cookie; socket.io-client
 * reconnects by itself with backoff, and the messenger catches up over HTTP after each reconnect.
 */
export function createSocket(): ChatSocket {
  return io({
    path: "/socket.io",
    withCredentials: true,
    autoConnect: false,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
  });
}

/**
 * Sends a message and resolves with the server's ack; no connection or a missing ack (timeout)
 * becomes `unavailable`, so the message is shown as failed and can be retried with the same clientId.
 */
export async function sendMessage(socket: ChatSocket, payload: MessageSendPayload): Promise<SendAck> {
  // Offline, an emit would sit in the socket's buffer until the timeout: say so at once instead.
  if (!socket.connected) {
    return {
      ok: false,
      error: { code: "unavailable", message: "You are offline. Retry when the connection is back." },
    };
  }
  try {
    return await socket.timeout(SEND_TIMEOUT_MS).emitWithAck(EVENTS.messageSend, payload);
  } catch {
    return { ok: false, error: { code: "unavailable", message: "No answer from the server." } };
  }
}
