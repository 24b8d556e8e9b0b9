import type { Logger } from "pino";
import { EVENTS, fieldErrors, type TypingAck, typingPayloadSchema } from "../../protocol/index.js";
import type { Notifier } from "../domain/notifier.js";
import type { PresenceService } from "../domain/presence.service.js";
import { RateLimiter } from "../domain/rate-limiter.js";
import type { SignalsService } from "../domain/signals.service.js";
import { rooms } from "./rooms.js";
import type { GlasschatServer, GlasschatSocket } from "./types.js";

/** A typing state ends by itself this long after its last `typing:start`. */
export const TYPING_EXPIRY_MS = 6000;
/** Renewals closer together than this renew the expiry without a new broadcast. */
const TYPING_RESEND_MS = 2000;
/** `typing:start` + `typing:stop` per socket per 10 s (a client sends one per 2 s at most). */
const TYPING_EVENTS_PER_10S = 20;

export interface PresenceHandlersDeps {
  presence: PresenceService;
  signals: Pick<SignalsService, "typingAudience">;
  notifier: Pick<Notifier, "typing">;
  log: Logger;
  /** How often this node renews its heartbeat and sweeps dead nodes. */
  tickMs: number;
}

interface TypingState {
  timer: NodeJS.Timeout;
  sentAt: number;
}

const NOT_FOUND: TypingAck = { ok: false, error: { code: "not_found", message: "No such chat." } };
const TOO_MANY: TypingAck = {
  ok: false,
  error: { code: "rate_limited", message: "Too many typing events from this connection." },
};

/**
 * Presence (each socket in and out of the store) and typing. Typing state lives with the typist's
 * socket on its node: it ends on `typing:stop`, 6 s after the last `typing:start`, or at once when
 * the socket disconnects; a node that dies takes its timers along, and clients drop a typing
 * state 6 s after its last renewal by themselves.
 */
export function registerPresenceHandlers(io: GlasschatServer, deps: PresenceHandlersDeps) {
  const { presence, signals, notifier, log } = deps;
  const limiter = new RateLimiter(TYPING_EVENTS_PER_10S, 10_000);
  const typing = new Map<string, Map<string, TypingState>>();

  // Per socket and chat, each state goes out after the one before it: the audience is looked up
  // asynchronously, and a stop must never overtake the start it ends.
  const sending = new Map<string, Promise<void>>();
  function broadcast(socket: GlasschatSocket, chatId: string, isTyping: boolean): void {
    const userId = socket.data.userId;
    const key = `${socket.id} ${chatId}`;
    const next = (sending.get(key) ?? Promise.resolve())
      .then(() => signals.typingAudience(chatId, userId))
      .then(
        (audience) => notifier.typing(audience, { chatId, userId, typing: isTyping }),
        (error) => log.warn({ err: error }, "typing fan-out failed"),
      );
    sending.set(key, next);
    void next.finally(() => {
      if (sending.get(key) === next) sending.delete(key);
    });
  }

  function stop(socket: GlasschatSocket, chatId: string): void {
    const states = typing.get(socket.id);
    const state = states?.get(chatId);
    if (!state) return;
    clearTimeout(state.timer);
    states?.delete(chatId);
    broadcast(socket, chatId, false);
  }

  function start(socket: GlasschatSocket, chatId: string): void {
    const states = typing.get(socket.id) ?? new Map<string, TypingState>();
    typing.set(socket.id, states);
    const previous = states.get(chatId);
    if (previous) clearTimeout(previous.timer);
    const timer = setTimeout(() => stop(socket, chatId), TYPING_EXPIRY_MS);
    timer.unref();
    const now = Date.now();
    const resend = !previous || now - previous.sentAt >= TYPING_RESEND_MS;
    states.set(chatId, { timer, sentAt: resend ? now : (previous?.sentAt ?? now) });
    if (resend) broadcast(socket, chatId, true);
  }

  function onTyping(socket: GlasschatSocket, payload: unknown, ack: unknown, isStart: boolean) {
    const reply = typeof ack === "function" ? (ack as (result: TypingAck) => void) : () => {};
    if (limiter.hit(socket.id) > 0) return reply(TOO_MANY);
    const parsed = typingPayloadSchema.safeParse(payload);
    if (!parsed.success) {
      const fields = fieldErrors(parsed.error);
      return reply({ ok: false, error: { code: "invalid_input", message: "Invalid typing event.", fields } });
    }
    const { chatId } = parsed.data;
    // Only members may signal: the socket is in the chat's room exactly while its user is one.
    if (!socket.rooms.has(rooms.chat(chatId))) return reply(NOT_FOUND);
    if (isStart) start(socket, chatId);
    else stop(socket, chatId);
    reply({ ok: true });
  }

  io.on("connection", (socket) => {
    const { userId } = socket.data;
    void presence.connected(userId, socket.id);
    socket.on(EVENTS.typingStart, (payload: unknown, ack: unknown) => onTyping(socket, payload, ack, true));
    socket.on(EVENTS.typingStop, (payload: unknown, ack: unknown) => onTyping(socket, payload, ack, false));
    socket.on("disconnect", () => {
      limiter.reset(socket.id);
      for (const chatId of [...(typing.get(socket.id)?.keys() ?? [])]) stop(socket, chatId);
      typing.delete(socket.id);
      void presence.disconnected(userId, socket.id);
    });
  });

  const localSockets = () =>
    [...io.of("/").sockets.values()].map((s) => ({ userId: s.data.userId, socketId: s.id }));
  const tick = () =>
    presence.tick(localSockets).catch((error) => log.warn({ err: error }, "presence heartbeat failed"));
  void tick();
  const interval = setInterval(tick, deps.tickMs);
  interval.unref();

  return {
    /** Stops the heartbeat; sockets closing afterwards still leave the store (see drain). */
    stop(): void {
      clearInterval(interval);
    },
  };
}
