import { fastifyCookie } from "@fastify/cookie";
import type { Logger } from "pino";
import { EVENTS, fieldErrors, type Message, messageSendSchema, type SendAck } from "../../protocol/index.js";
import { AppError } from "../domain/errors.js";
import type { MessagesService, Sent } from "../domain/messages.service.js";
import { RateLimiter } from "../domain/rate-limiter.js";
import { SESSION_COOKIE } from "../http/session.js";
import type { SendMetrics } from "../metrics.js";
import type { FloodOffenders } from "./flood-offenders.js";
import { rooms } from "./rooms.js";
import type { GlasschatServer, GlasschatSocket } from "./types.js";

export interface MessageHandlersDeps {
  messages: MessagesService;
  log: Logger;
  socketEventsPer10s: number;
  /** Told of each user whose connection is dropped for flooding. */
  offenders?: FloodOffenders;
  metrics?: SendMetrics;
  now?: () => number;
  /** Told of each new message after its ack, before the fan-out; must return at once (Web Push queues it). */
  afterSend?: (sent: { message: Message; hiddenFor: readonly string[] }) => void;
}

export interface MessageHandlers {
  /**
   * Shutdown, first step: new sends are answered `unavailable`; resolves once every send accepted
   * before has been answered (`ok` when stored, `unavailable` when not).
   */
  stop(): Promise<void>;
}

/** A connection refused this many times its limit within one window is a flood: it is dropped. */
const FLOOD_FACTOR = 2;
/**
 * Shutdown keeps reading until no send arrived for this long (and at most for STOP_MAX_MS), so that
 * sends already on their way are answered `unavailable` instead of dying unread with the connection.
 */
const STOP_QUIET_MS = 250;
const STOP_MAX_MS = 2000;

const RESTARTING: SendAck = {
  ok: false,
  error: { code: "unavailable", message: "The server is restarting. Nothing was sent; try again." },
};
const SESSION_ENDED: SendAck = {
  ok: false,
  error: { code: "unauthorized", message: "Your session has ended. Sign in again." },
};
const TOO_MANY: SendAck = {
  ok: false,
  error: { code: "rate_limited", message: "Too many events from this connection." },
};

/** The window of the per-connection event limit, and of a flood-dropped user's bar. */
export const SOCKET_EVENTS_WINDOW_MS = 10_000;

export function registerMessageHandlers(io: GlasschatServer, deps: MessageHandlersDeps): MessageHandlers {
  const now = deps.now ?? Date.now;
  // Per socket, on top of the per-user message limit: a flood of junk costs one counter each.
  const socketEvents = new RateLimiter(deps.socketEventsPer10s, SOCKET_EVENTS_WINDOW_MS);
  const floods = new RateLimiter(deps.socketEventsPer10s * FLOOD_FACTOR, SOCKET_EVENTS_WINDOW_MS);
  let stopping = false;
  let inFlight = 0;
  let lastSendAt = 0;
  const settled = () => {
    inFlight--;
  };

  io.on("connection", (socket) => {
    socket.on("disconnect", () => {
      socketEvents.reset(socket.id);
      floods.reset(socket.id);
    });
    socket.on(EVENTS.messageSend, function onSend(payload: unknown, ack: unknown) {
      const receivedAt = performance.now();
      lastSendAt = receivedAt;
      // Socket.IO passes the acknowledgement callback last, after any extra arguments a client
      // added. Read through `arguments`: no array per event on the send path.
      // biome-ignore lint/complexity/noArguments: see above
      const last: unknown = arguments.length > 2 ? arguments[arguments.length - 1] : ack;
      const answer = typeof last === "function" ? (last as (result: SendAck) => void) : undefined;
      const reply = answer && deps.metrics ? measured(answer, receivedAt, deps.metrics) : answer;
      if (socketEvents.hit(socket.id) > 0) {
        if (floods.hit(socket.id) > 0) {
          deps.offenders?.dropped(socket.data.userId, sessionTokenOf(socket));
          return void socket.disconnect(true);
        }
        return reply?.(TOO_MANY);
      }
      // Without a callback nobody could be told the outcome: store nothing.
      if (!reply) return;
      if (stopping) return reply(RESTARTING);
      if (socket.data.expiresAt <= now()) {
        reply(SESSION_ENDED);
        return void socket.disconnect(true);
      }
      inFlight++;
      void handleSend(socket, payload, reply, deps, settled);
    });
  });

  return {
    stop() {
      stopping = true;
      const startedAt = performance.now();
      return new Promise<void>((resolve) => {
        const check = () => {
          const at = performance.now();
          const quiet =
            at - Math.max(lastSendAt, startedAt) >= STOP_QUIET_MS || at - startedAt >= STOP_MAX_MS;
          if (inFlight === 0 && quiet) resolve();
          else setTimeout(check, 25);
        };
        check();
      });
    },
  };
}

/** The session token the connection's handshake came with (its cookie). */
function sessionTokenOf(socket: GlasschatSocket): string | undefined {
  const cookie = socket.request.headers.cookie;
  return cookie ? fastifyCookie.parse(cookie)[SESSION_COOKIE] : undefined;
}

/** Counts the outcome as the ack goes out: sends are timed from arrival to acknowledgement. */
function measured(reply: (result: SendAck) => void, receivedAt: number, metrics: SendMetrics) {
  return (result: SendAck) => {
    if (result.ok) metrics.acked(receivedAt);
    else metrics.refused(result.error.code);
    reply(result);
  };
}

async function handleSend(
  socket: GlasschatSocket,
  payload: unknown,
  reply: (result: SendAck) => void,
  { messages, log, afterSend }: MessageHandlersDeps,
  settled: () => void,
): Promise<void> {
  try {
    const parsed = messageSendSchema.safeParse(payload);
    if (!parsed.success) {
      const fields = fieldErrors(parsed.error);
      return reply({
        ok: false,
        error: { code: "invalid_input", message: Object.values(fields)[0] ?? "Invalid input.", fields },
      });
    }
    const sender = { id: socket.data.userId, username: socket.data.username };
    const knownMember = socket.rooms.has(rooms.chat(parsed.data.chatId));
    let sent: Sent;
    try {
      sent = await messages.send(sender, parsed.data, knownMember);
    } catch (error) {
      if (error instanceof AppError) return reply({ ok: false, error: error.toApiError() });
      log.error({ err: error, event: EVENTS.messageSend }, "socket event failed");
      return reply({
        ok: false,
        error: { code: "unavailable", message: "The message could not be stored. Try again." },
      });
    }
    if (!knownMember) socket.join(rooms.chat(parsed.data.chatId));
    reply({ ok: true, message: sent.message });
    if (sent.created) afterSend?.(sent);
    // Stored and acknowledged: a failure from here on only delays others, who catch up with `after=`.
    await messages.announce(sent, socket.id).catch((error) => log.error({ err: error }, "fan-out failed"));
  } finally {
    settled();
  }
}
