import { io, type Socket } from "socket.io-client";
import { type ChatSocket, sendOnce } from "../../../src/client/send.js";
import type { SendAck } from "../../../src/protocol/index.js";
import type { Context } from "./context.js";

/** A socket.io-client socket, closed when the category ends. */
export function socketTo(
  ctx: Context,
  url: string,
  cookie: string | undefined,
  options: { headers?: Record<string, string>; reconnection?: boolean; transports?: string[] } = {},
): Socket {
  const socket = io(url, {
    transports: options.transports ?? ["websocket"],
    reconnection: options.reconnection ?? false,
    reconnectionDelay: 200,
    reconnectionDelayMax: 1000,
    forceNew: true,
    timeout: 5000,
    extraHeaders: { ...(cookie ? { cookie } : {}), ...options.headers },
  });
  ctx.defer(() => {
    socket.io.reconnection(false);
    socket.disconnect();
  });
  return socket;
}

/** Resolves true once connected, false on connect_error or after `ms`. */
export function whenConnected(socket: Socket, ms = 8000): Promise<boolean> {
  if (socket.connected) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.off("connect", onConnect);
      socket.off("connect_error", onError);
      resolve(ok);
    };
    const onConnect = () => done(true);
    const onError = () => done(false);
    const timer = setTimeout(() => done(false), ms);
    socket.on("connect", onConnect);
    socket.on("connect_error", onError);
  });
}

export async function connectedSocket(ctx: Context, url: string, cookie: string): Promise<Socket> {
  const socket = socketTo(ctx, url, cookie);
  if (!(await whenConnected(socket))) throw new Error("socket did not connect");
  return socket;
}

/**
 * `message:send` with an ack, through the typed client's one attempt (src/client/send.ts);
 * undefined when no ack came within `ms` or the socket was not connected.
 */
export async function send(
  socket: Socket,
  payload: { chatId: string; body: string; clientId: string },
  ms = 10_000,
): Promise<SendAck | undefined> {
  const outcome = await sendOnce(socket as ChatSocket, payload, ms);
  if (outcome.ok) return outcome;
  const { code, message, fields } = outcome.error;
  if (code === "timeout" || code === "network_error") return undefined;
  return { ok: false, error: { code, message, ...(Object.keys(fields).length ? { fields } : {}) } };
}

/**
 * Connects as the product's clients do: a handshake refused `rate_limited` (or answered 429 at the
 * door) is tried again with backoff, so that what is measured is the outcome of the handshake
 * itself, not the per-IP handshake limit. Resolves the connected socket, or undefined when the
 * handshake was refused otherwise or `ms` passed.
 */
export async function connectRetryingLimits(
  ctx: Context,
  url: string,
  cookie: string,
  ms = 15_000,
): Promise<Socket | undefined> {
  const deadline = Date.now() + ms;
  for (let delay = 250; ; delay = Math.min(2000, delay * 2)) {
    const socket = socketTo(ctx, url, cookie);
    const refusal = await new Promise<string | undefined>((resolve) => {
      const timer = setTimeout(() => resolve("timeout"), Math.max(1, deadline - Date.now()));
      socket.once("connect", () => {
        clearTimeout(timer);
        resolve(undefined);
      });
      socket.once("connect_error", (error: Error & { type?: string }) => {
        clearTimeout(timer);
        resolve(
          error.message === "rate_limited" || error.type === "TransportError" ? "limited" : error.message,
        );
      });
    });
    if (refusal === undefined) return socket;
    socket.disconnect();
    if (refusal !== "limited" || Date.now() + delay > deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
