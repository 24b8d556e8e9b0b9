import type { Server as HttpServer, IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { fastifyCookie } from "@fastify/cookie";
import { RateLimiter } from "../domain/rate-limiter.js";
import { TokenBuckets } from "../domain/token-bucket.js";
import { rawErrorResponse } from "../http/raw-errors.js";
import { SESSION_COOKIE } from "../http/session.js";
import type { FloodOffenders } from "./flood-offenders.js";

/**
 * How many handshakes over its limit an IP is told `rate_limited` through Socket.IO within one
 * window; beyond them it is flooding.
 */
const TOLD_OVER_LIMIT = 10;
const FLOOD_MESSAGE = "Too many connection attempts from this address. Try again later.";
const DROPPED_MESSAGE = "This session's connection was just closed for flooding. Try again later.";

export interface HandshakeGate {
  /** True when this handshake went over its IP's limit: Socket.IO refuses it `rate_limited`. */
  overLimit(request: IncomingMessage): boolean;
}

export interface HandshakeGateOptions {
  /** Handshakes per client IP per minute (0: no limit, the burst included). */
  perMinute: number;
  /**
   * How many of them may come at once (0: all of the minute's): a bucket of this many, refilled at
   * `perMinute`.
   */
  burst: number;
  trustProxy: boolean;
  /** Sessions whose connection was just dropped for flooding: refused here, before any lookup. */
  offenders?: Pick<FloodOffenders, "tokenBarredFor" | "anyTokenBarred">;
  path?: string;
}

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Counts Socket.IO handshakes (requests to the Socket.IO path without a session id: a polling
 * open or a direct WebSocket upgrade) per client IP as they arrive, before Engine.IO creates
 * anything for them: at most `burst` at once (refilled at the minute's rate: a hundred handshakes
 * accepted at once, each a whole Engine.IO session, session check and chat list, are what
 * connected clients' frames would wait behind) and at most `perMinute` a minute. Over the limit, the handshake goes on to Socket.IO to be refused with
 * `rate_limited` (what a client that merely retries too eagerly is told), TOLD_OVER_LIMIT times per
 * window. Beyond that the IP is flooding: its handshakes are answered `429 rate_limited` on the raw
 * socket and closed right here, for a few microseconds each instead of a whole Engine.IO session
 * and Socket.IO connection, so that connected clients' frames do not wait behind them. Install it
 * after every other listener.
 */
export function gateHandshakes(server: HttpServer, options: HandshakeGateOptions): HandshakeGate {
  const path = options.path ?? "/socket.io/";
  const handshakes = new RateLimiter(options.perMinute, 60_000);
  const bursts = new TokenBuckets(options.burst, options.perMinute);
  const told = new RateLimiter(TOLD_OVER_LIMIT, 60_000);
  const over = new WeakSet<IncomingMessage>();

  const floodAnswers = new Refusals(FLOOD_MESSAGE);
  const droppedAnswers = new Refusals(DROPPED_MESSAGE);
  const offenders = options.offenders;

  /** False when the request was answered here (a flood). */
  const admit = (request: IncomingMessage, socket: Duplex): boolean => {
    if ((!handshakes.enabled && !offenders?.anyTokenBarred()) || !isHandshake(request, path)) return true;
    // A flooder reconnecting with the session it was dropped with: no Engine.IO session, no
    // session lookup, and none of its IP's handshakes used up (its neighbours behind a NAT keep them).
    if (offenders?.anyTokenBarred()) {
      const cookie = request.headers.cookie;
      const token = cookie ? fastifyCookie.parse(cookie)[SESSION_COOKIE] : undefined;
      const barred = token ? offenders.tokenBarredFor(token) : 0;
      if (barred > 0) return refuse(socket, droppedAnswers.answer(barred));
    }
    if (!handshakes.enabled) return true;
    const ip = clientIp(request, options.trustProxy);
    // The burst first: a handshake it refuses does not use up the minute's.
    const wait = bursts.take(ip) || handshakes.hit(ip);
    if (wait === 0) return true;
    if (told.hit(ip) === 0) {
      over.add(request);
      return true;
    }
    return refuse(socket, floodAnswers.answer(wait));
  };

  // Upgrades: a listener in front of the others (the upgrade pacer skips a destroyed socket).
  server.prependListener("upgrade", (request: IncomingMessage, socket: Duplex) => {
    admit(request, socket);
  });
  // Polling: every request listener runs for each request, so they are wrapped instead.
  const listeners = server.listeners("request") as RequestListener[];
  server.removeAllListeners("request");
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    if (!admit(request, request.socket)) return;
    for (const listener of listeners) listener.call(server, request, response);
  });

  return { overLimit: (request) => over.has(request) };
}

/** As Engine.IO aborts an upgrade: one write (it reaches the kernel at once), then gone. */
function refuse(socket: Duplex, answer: Buffer): false {
  socket.on("error", () => {});
  if (socket.writable) socket.write(answer);
  socket.destroy();
  return false;
}

/**
 * The whole `429 rate_limited` answer, built once per Retry-After value: in a flood it is written
 * hundreds of times a second, and building it (headers, JSON, UTF-8) cost more than the refusal.
 */
class Refusals {
  private readonly byWait = new Map<number, Buffer>();
  constructor(private readonly message: string) {}

  answer(waitS: number): Buffer {
    let answer = this.byWait.get(waitS);
    if (!answer) {
      answer = Buffer.from(
        rawErrorResponse(429, "rate_limited", this.message, { "retry-after": String(waitS) }),
      );
      this.byWait.set(waitS, answer);
    }
    return answer;
  }
}

function isHandshake(request: IncomingMessage, path: string): boolean {
  const url = request.url;
  if (!url?.startsWith(path)) return false;
  const query = url.indexOf("?");
  return query === -1 || !new URLSearchParams(url.slice(query + 1)).has("sid");
}

/** Behind a trusted proxy, the address that proxy saw (the last hop it appended), else the peer's. */
function clientIp(request: IncomingMessage, trustProxy: boolean): string {
  const peer = request.socket.remoteAddress ?? "";
  const forwarded = request.headers["x-forwarded-for"];
  if (!trustProxy || typeof forwarded !== "string") return peer;
  return forwarded.split(",").at(-1)?.trim() || peer;
}
