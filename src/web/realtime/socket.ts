import { io, type Socket } from "socket.io-client";
import { EVENTS } from "../../protocol/events.js";
import type { ClientToServerEvents, MessageSendPayload, SendAck, ServerToClientEvents } from "../../protocol/index.js";

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
 * Sends a message and resolves with the server's ack; a missing ack (timeout, dropped connection)
 * becomes `unavailable`, so the message is shown as failed and can be retried with the same clientId.
 */
export async function sendMessage(socket: ChatSocket, payload: MessageSendPayload): Promise<SendAck> {
  try {
    return await socket.timeout(SEND_TIMEOUT_MS).emitWithAck(EVENTS.messageSend, payload);
  } catch {
    return { ok: false, error: { code: "unavailable", message: "No answer from the server." } };
  }
}
