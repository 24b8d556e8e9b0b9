import type { Socket } from "socket.io-client";
import { EVENTS } from "../protocol/events.js";
import type {
  ClientToServerEvents,
  Message,
  MessageSendPayload,
  SendAck,
  ServerToClientEvents,
} from "../protocol/index.js";
import { ApiError, type ClientErrorCode } from "./errors.js";

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type SendOutcome =
  | { ok: true; message: Message }
  | {
      ok: false;
      error: ApiError;
      /** The same payload (same clientId) may be sent again: the server stores it at most once. */
      retry: boolean;
    };

/** Texts of the failures that happen before the server answers (a browser app translates them). */
export interface SendTexts {
  offline: string;
  noAck: string;
}

const ENGLISH: SendTexts = {
  offline: "Not connected to the server.",
  noAck: "No acknowledgement from the server in time.",
};

/** A failure that is worth the same clientId again: nothing came back, or the server was busy. */
export function isRetryable(code: ClientErrorCode): boolean {
  return code === "unavailable" || code === "timeout" || code === "network_error";
}

/**
 * One attempt of `message:send`: resolves with the stored message once the server acknowledged
 * it, or with the failure and whether a retry (same clientId) may succeed. Never rejects. When
 * the socket is not connected it says so at once: an emit would sit in the socket's buffer
 * until the timeout and then go out late.
 */
export async function sendOnce(
  socket: ChatSocket,
  payload: MessageSendPayload,
  timeoutMs: number,
  texts: SendTexts = ENGLISH,
): Promise<SendOutcome> {
  if (!socket.connected)
    return { ok: false, error: new ApiError("network_error", texts.offline), retry: true };
  let ack: SendAck;
  try {
    ack = await socket.timeout(timeoutMs).emitWithAck(EVENTS.messageSend, payload);
  } catch {
    return { ok: false, error: new ApiError("timeout", texts.noAck), retry: true };
  }
  if (ack.ok) return ack;
  return { ok: false, error: ApiError.from(ack.error), retry: isRetryable(ack.error.code) };
}
