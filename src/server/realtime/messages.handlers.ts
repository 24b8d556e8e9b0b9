import type { Logger } from "pino";
import { EVENTS, fieldErrors, messageSendSchema, type SendAck } from "../../protocol/index.js";
import { AppError } from "../domain/errors.js";
import type { MessagesService, Sent } from "../domain/messages.service.js";
import { RateLimiter } from "../domain/rate-limiter.js";
import type { SendMetrics } from "../metrics.js";
import { rooms } from "./rooms.js";
import type { GlasschatServer, GlasschatSocket } from "./types.js";

export interface MessageHandlersDeps {
  messages: MessagesService;
  log: Logger;
  socketEventsPer10s: number;
  metrics?: SendMetrics;
}

const noAck = () => {};

export function registerMessageHandlers(io: GlasschatServer, deps: MessageHandlersDeps): void {
  // Per socket, on top of the per-user message limit: a flood of junk costs one counter each.
  const socketEvents = new RateLimiter(deps.socketEventsPer10s, 10_000);
  io.on("connection", (socket) => {
    socket.on("disconnect", () => socketEvents.reset(socket.id));
    socket.on(EVENTS.messageSend, (payload: unknown, ack: unknown) => {
      const receivedAt = performance.now();
      const answer = typeof ack === "function" ? (ack as (result: SendAck) => void) : noAck;
      const reply = deps.metrics ? measured(answer, receivedAt, deps.metrics) : answer;
      if (socketEvents.hit(socket.id) > 0) {
        return reply({
          ok: false,
          error: { code: "rate_limited", message: "Too many events from this connection." },
        });
      }
      void handleSend(socket, payload, reply, deps);
    });
  });
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
  { messages, log }: MessageHandlersDeps,
): Promise<void> {
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
  // Stored and acknowledged: a failure from here on only delays others, who catch up with `after=`.
  await messages.announce(sent, socket.id).catch((error) => log.error({ err: error }, "fan-out failed"));
}
