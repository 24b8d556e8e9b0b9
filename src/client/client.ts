import { io } from "socket.io-client";
import type { z } from "zod";
import {
  type Chat,
  type CreateChatBody,
  createChatBodySchema,
  EVENTS,
  fieldErrors,
  type LoginBody,
  loginBodySchema,
  type Message,
  type MessagePage,
  markReadBodySchema,
  messageSendSchema,
  type RegisterBody,
  registerBodySchema,
  type ServerToClientEvents,
  UNAUTHORIZED_HANDSHAKE,
  type User,
} from "../protocol/index.js";
import { Delivery } from "./delivery.js";
import { Emitter } from "./emitter.js";
import { ApiError } from "./errors.js";
import { HttpClient } from "./http.js";
import { newClientId } from "./ids.js";
import { type ChatSocket, type SendOutcome, sendOnce } from "./send.js";
import { sendKey } from "./sequence.js";

export type { ChatSocket };

/** Every server event of the protocol's event map, by name, with its payload. */
export type ServerEvents = { [E in keyof ServerToClientEvents]: Parameters<ServerToClientEvents[E]>[0] };

/** What `client.on` offers: the server's events, plus the client's own connection events. */
export type ClientEvents = ServerEvents & {
  /** The socket is connected and every followed chat has been caught up. */
  connected: { reconnect: boolean };
  /** The socket dropped; the client reconnects by itself unless it was closed or signed out. */
  disconnected: { reason: string };
  /** Something failed in the background (a catch-up, a handshake refused as `unauthorized`). */
  error: ApiError;
};

export interface ClientOptions {
  /** The server, e.g. `http://localhost:3000`. In a browser: the page's origin by default. */
  url?: string;
  /**
   * Keep the session cookie and send `Origin` ourselves (Node, Deno, Bun). Default: on when there
   * is no `document`. A browser does both by itself (same-origin cookies) and forbids setting them.
   */
  manageCookies?: boolean;
  /** `Origin` sent when managing cookies; default the origin of `url`. */
  origin?: string;
  /** Further headers for every HTTP request, e.g. `X-Forwarded-For` behind a test proxy. */
  headers?: Record<string, string>;
  /** How long one send attempt waits for its acknowledgement (default 10 s). */
  sendTimeoutMs?: number;
  /** Attempts per send, all with the same clientId (default 3). */
  sendAttempts?: number;
  /** HTTP request timeout (default 15 s). */
  requestTimeoutMs?: number;
  /** First reconnect delay; it backs off up to 10× (default 500 ms). */
  reconnectDelayMs?: number;
  /** Socket.IO transports (default: polling, upgraded to WebSocket). */
  transports?: ("polling" | "websocket")[];
  fetch?: typeof fetch;
}

export interface SendOptions {
  /** Reuse it to retry a send yourself; the server stores one message per clientId. */
  clientId?: string;
}

export interface HistoryQuery {
  before?: string;
  after?: string;
  limit?: number;
}

const OWN_SENDS_KEPT = 1000;

/**
 * A typed Glasschat client for Node and browsers: HTTP calls, the socket with reconnects, sends
 * with acknowledgement timeouts and idempotent retries, and events delivered once and in order
 * per chat, including what was missed while disconnected.
 */
export class GlasschatClient {
  /** The signed-in user, after register, login or me. */
  user: User | undefined;
  private readonly http: HttpClient;
  private readonly events = new Emitter<ClientEvents>();
  private readonly delivery: Delivery;
  /** `sendKey`s of this client's recent sends. */
  private readonly ownSends = new Set<string>();
  private readonly options: Required<
    Omit<ClientOptions, "url" | "origin" | "manageCookies" | "fetch" | "headers">
  >;
  private readonly url: string;
  private readonly manageCookies: boolean;
  private socketInstance: ChatSocket | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;
  /** Rejects when `close` is called: whatever waits on the server stops waiting. */
  private readonly whenClosed: Promise<never>;
  private rejectClosed: (error: ApiError) => void = () => {};

  constructor(options: ClientOptions = {}) {
    const url = options.url ?? globalThis.location?.origin;
    if (!url) throw new Error("GlasschatClient needs a url outside a browser, e.g. http://localhost:3000");
    this.url = url;
    this.whenClosed = new Promise<never>((_, reject) => {
      this.rejectClosed = reject;
    });
    this.whenClosed.catch(() => {});
    this.manageCookies = options.manageCookies ?? typeof document === "undefined";
    this.options = {
      sendTimeoutMs: options.sendTimeoutMs ?? 10_000,
      sendAttempts: Math.max(1, options.sendAttempts ?? 3),
      requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
      reconnectDelayMs: options.reconnectDelayMs ?? 500,
      transports: options.transports ?? ["polling", "websocket"],
    };
    this.http = new HttpClient({
      baseUrl: url,
      manageCookies: this.manageCookies,
      origin: options.origin ?? new URL(url).origin,
      ...(options.headers ? { headers: options.headers } : {}),
      timeoutMs: this.options.requestTimeoutMs,
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    });
    this.delivery = new Delivery({
      page: (chatId, query) => this.history(chatId, query),
      isOwn: (m) => this.ownSends.has(sendKey(m.sender.id, m.clientId)),
      deliver: (m) => this.events.emit(EVENTS.messageNew, m),
      onError: (error) => this.events.emit("error", toApiError(error)),
    });
  }

  /** The underlying Socket.IO socket once `connect` was called (for tests and diagnostics). */
  get socket(): ChatSocket | undefined {
    return this.socketInstance;
  }

  /**
   * The session's `Cookie` header when the client keeps cookies itself (outside a browser), for
   * handing the session to another tool, e.g. a raw socket or a timed fetch in a benchmark.
   */
  sessionCookie(): string | undefined {
    return this.http.cookieHeader();
  }

  get connected(): boolean {
    return this.socketInstance?.connected ?? false;
  }

  // --- accounts ---------------------------------------------------------------------------

  async register(body: RegisterBody): Promise<User> {
    const input = validate(registerBodySchema, body);
    const { user } = await this.http.request<{ user: User }>("POST", "/api/auth/register", input);
    this.user = user;
    return user;
  }

  async login(body: LoginBody): Promise<User> {
    const input = validate(loginBodySchema, body);
    const { user } = await this.http.request<{ user: User }>("POST", "/api/auth/login", input);
    this.user = user;
    return user;
  }

  /** Ends the session on the server and closes the socket; the client can log in again. */
  async logout(): Promise<void> {
    this.disconnectSocket();
    try {
      await this.http.request<void>("POST", "/api/auth/logout", {});
    } finally {
      this.http.jar.clear();
      this.user = undefined;
    }
  }

  async me(): Promise<User> {
    const { user } = await this.http.request<{ user: User }>("GET", "/api/me");
    this.user = user;
    return user;
  }

  // --- chats and history --------------------------------------------------------------------

  async listChats(): Promise<Chat[]> {
    return (await this.http.request<{ chats: Chat[] }>("GET", "/api/chats")).chats;
  }

  /** The direct chat with the owner of `email`: new, or the existing one. */
  async startChat(email: CreateChatBody["email"]): Promise<Chat> {
    const input = validate(createChatBodySchema, { email });
    const { chat } = await this.http.request<{ chat: Chat }>("POST", "/api/chats", input);
    this.delivery.track(chat.id, chat.lastMessage);
    return chat;
  }

  /** Removes the chat from this user's list (it comes back when a message arrives). */
  async removeChat(chatId: string): Promise<void> {
    await this.http.request<void>("DELETE", chatPath(chatId), {});
  }

  async clearChat(chatId: string, options: { forEveryone?: boolean } = {}): Promise<void> {
    await this.http.request<void>(
      "POST",
      `${chatPath(chatId)}/clear`,
      options.forEveryone ? { forEveryone: true } : {},
    );
  }

  /**
   * A page of history in send order: the newest (no cursor), `before` or `after` a message id.
   * As on the server, the newest page and `after` pages mark what they return as read.
   */
  async history(chatId: string, query: HistoryQuery = {}): Promise<MessagePage> {
    const params = new URLSearchParams();
    if (query.before) params.set("before", query.before);
    if (query.after) params.set("after", query.after);
    if (query.limit) params.set("limit", String(query.limit));
    const qs = params.size > 0 ? `?${params}` : "";
    return this.http.request<MessagePage>("GET", `${chatPath(chatId)}/messages${qs}`);
  }

  async markRead(chatId: string, seq: number): Promise<void> {
    await this.http.request<void>("POST", `${chatPath(chatId)}/read`, validate(markReadBodySchema, { seq }));
  }

  // --- real time ----------------------------------------------------------------------------

  /** Subscribes to a server event or a connection event; returns the unsubscribe function. */
  on<E extends keyof ClientEvents>(event: E, handler: (payload: ClientEvents[E]) => void): () => void {
    return this.events.on(event, handler);
  }

  off<E extends keyof ClientEvents>(event: E, handler: (payload: ClientEvents[E]) => void): void {
    this.events.off(event, handler);
  }

  /**
   * Opens the socket (signed in first) and resolves once it is connected and caught up. From then
   * on it reconnects by itself and, after each reconnect, delivers what was missed in every chat.
   */
  connect(): Promise<void> {
    if (this.closed) return Promise.reject(new ApiError("network_error", "The client is closed."));
    this.connecting ??= Promise.race([this.openSocket(), this.whenClosed]).catch((error: unknown) => {
      this.disconnectSocket();
      throw toApiError(error);
    });
    return this.connecting;
  }

  /**
   * Sends a message and resolves with it as stored, once the server acknowledged it (durably
   * stored). A missing acknowledgement or `unavailable` is retried with the same clientId, so the
   * server stores it at most once; other refusals reject at once with their ApiError.
   */
  async send(chatId: string, body: string, options: SendOptions = {}): Promise<Message> {
    const payload = validate(messageSendSchema, {
      chatId,
      body,
      clientId: options.clientId ?? newClientId(),
    });
    await this.connect();
    this.rememberOwn(payload.clientId);
    let lastError = new ApiError("timeout", "No acknowledgement from the server.");
    for (let attempt = 0; attempt < this.options.sendAttempts; attempt++) {
      if (attempt > 0) await delay(this.options.reconnectDelayMs * attempt);
      let outcome: SendOutcome;
      try {
        const socket = await Promise.race([this.connectedSocket(), this.whenClosed]);
        outcome = await Promise.race([
          sendOnce(socket, payload, this.options.sendTimeoutMs),
          this.whenClosed,
        ]);
      } catch (error) {
        if (this.closed || !this.socketInstance) throw error;
        lastError = error instanceof ApiError ? error : new ApiError("timeout", "Not connected in time.");
        continue;
      }
      if (outcome.ok) {
        this.delivery.acknowledged(outcome.message);
        return outcome.message;
      }
      lastError = outcome.error;
      if (!outcome.retry) throw lastError;
    }
    throw lastError;
  }

  /** Closes the socket for good and drops every subscription. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    this.rejectClosed(new ApiError("network_error", "The client was closed."));
    this.disconnectSocket();
    this.events.clear();
  }

  // --- internals ----------------------------------------------------------------------------

  private async openSocket(): Promise<void> {
    // The baseline is taken before the socket opens; the first catch-up covers the moment between.
    if (!this.user) await this.me();
    for (const chat of await this.listChats()) this.delivery.track(chat.id, chat.lastMessage);
    const socket: ChatSocket = io(this.url, {
      path: "/socket.io",
      autoConnect: false,
      forceNew: true,
      withCredentials: true,
      transports: this.options.transports,
      reconnectionDelay: this.options.reconnectDelayMs,
      reconnectionDelayMax: this.options.reconnectDelayMs * 10,
      ...(this.manageCookies ? { extraHeaders: this.socketHeaders() } : {}),
    });
    this.socketInstance = socket;
    // The cookie may have been renewed since the socket was made.
    socket.io.on("reconnect_attempt", () => {
      if (this.manageCookies) socket.io.opts.extraHeaders = this.socketHeaders();
    });
    socket.onAny((event: string, payload: unknown) => this.onServerEvent(event, payload));
    socket.on("disconnect", (reason) => {
      this.events.emit("disconnected", { reason });
      // The server ended the connection (e.g. it is shutting down): socket.io-client would not
      // come back by itself. A revoked session then fails the handshake as `unauthorized`.
      if (reason === "io server disconnect") {
        setTimeout(() => {
          if (this.socketInstance === socket) socket.connect();
        }, this.options.reconnectDelayMs);
      }
    });
    let first = true;
    let refusals = 0;
    await new Promise<void>((resolve, reject) => {
      socket.on("connect", () => {
        const reconnect = !first;
        first = false;
        refusals = 0;
        this.afterConnect(reconnect).then(
          () => {
            this.events.emit("connected", { reconnect });
            resolve();
          },
          (error: unknown) => {
            this.events.emit("error", toApiError(error));
            resolve();
          },
        );
      });
      socket.on("connect_error", (error) => {
        if (socket.active) return; // a transport failure: socket.io-client retries by itself
        const failure =
          error.message === UNAUTHORIZED_HANDSHAKE
            ? new ApiError("unauthorized", "The server refused the socket: sign in first.")
            : new ApiError("unavailable", `The server refused the socket (${error.message}).`);
        if (first) return reject(failure);
        this.events.emit("error", failure);
        // socket.io-client does not retry a handshake the server refused (`rate_limited` while a
        // whole NAT reconnects after a restart, `unavailable` while the database is down): retried
        // here with the same backoff and jitter. `unauthorized` stays down until signed in again.
        if (error.message === UNAUTHORIZED_HANDSHAKE) return;
        const ceiling = Math.min(10, 2 ** refusals++) * this.options.reconnectDelayMs;
        setTimeout(
          () => {
            if (this.socketInstance === socket && !socket.connected) socket.connect();
          },
          ceiling * (0.5 + Math.random() / 2),
        );
      });
      socket.connect();
    });
  }

  private async afterConnect(reconnect: boolean): Promise<void> {
    if (reconnect) {
      // Chats that appeared while we were away: announce them, then deliver all their messages.
      for (const chat of await this.listChats()) {
        if (this.delivery.tracks(chat.id)) continue;
        this.delivery.track(chat.id, null);
        this.events.emit(EVENTS.chatNew, chat);
      }
    }
    await this.delivery.syncAll();
  }

  private onServerEvent(event: string, payload: unknown): void {
    if (event === EVENTS.messageNew) {
      this.delivery.live(payload as Message);
      return;
    }
    if (event === EVENTS.chatNew) {
      const chat = payload as Chat;
      this.delivery.track(chat.id, chat.lastMessage);
    }
    // Every other event of the map is passed on as it came.
    this.events.emit(event as keyof ServerEvents, payload as never);
  }

  private socketHeaders(): Record<string, string> {
    const cookie = this.http.cookieHeader();
    return { origin: new URL(this.url).origin, ...(cookie ? { cookie } : {}) };
  }

  /** The socket once connected, waiting at most one send timeout for a reconnect. */
  private connectedSocket(): Promise<ChatSocket> {
    const socket = this.socketInstance;
    if (!socket || this.closed) {
      return Promise.reject(
        new ApiError("network_error", "Not connected: the client was closed or signed out."),
      );
    }
    if (socket.connected) return Promise.resolve(socket);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.off("connect", onConnect);
        reject(new ApiError("timeout", "Not connected to the server."));
      }, this.options.sendTimeoutMs);
      const onConnect = () => {
        clearTimeout(timer);
        resolve(socket);
      };
      socket.once("connect", onConnect);
    });
  }

  /** Called once connected, so `user` is known. */
  private rememberOwn(clientId: string): void {
    this.ownSends.add(sendKey(this.user?.id ?? "", clientId));
    if (this.ownSends.size > OWN_SENDS_KEPT) {
      const oldest = this.ownSends.values().next().value;
      if (oldest !== undefined) this.ownSends.delete(oldest);
    }
  }

  private disconnectSocket(): void {
    const socket = this.socketInstance;
    this.socketInstance = undefined;
    this.connecting = undefined;
    if (!socket) return;
    socket.removeAllListeners();
    socket.offAny();
    socket.io.removeAllListeners();
    socket.disconnect();
  }
}

/** A client for one server; see `GlasschatClient`. */
export function createClient(options: ClientOptions = {}): GlasschatClient {
  return new GlasschatClient(options);
}

const chatPath = (chatId: string) => `/api/chats/${encodeURIComponent(chatId)}`;

/** Checks input with the protocol's own schema, so a mistake fails here with the server's words. */
function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields = fieldErrors(parsed.error);
  throw new ApiError("invalid_input", Object.values(fields)[0] ?? "Invalid input.", { fields });
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError("network_error", (error as Error)?.message ?? String(error));
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
