import { randomBytes } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import type {
  ClientToServerEvents,
  ErrorBody,
  ServerToClientEvents,
  User,
} from "../../src/protocol/index.js";

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A JSON request as a browser-less client makes it; `cookie` signs it in. */
export async function request<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; cookie?: string; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.body !== undefined) headers["content-type"] ??= "application/json";
  const response = await fetch(baseUrl + path, {
    signal: AbortSignal.timeout(10_000),
    method,
    headers,
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === "string"
          ? options.body
          : JSON.stringify(options.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : undefined) as T,
    headers: response.headers,
  };
}

export const errorCode = (reply: Reply) => (reply.body as ErrorBody | undefined)?.error?.code;

export interface TestUser {
  user: User;
  email: string;
  password: string;
  cookie: string;
  api: <T = unknown>(method: string, path: string, body?: unknown) => Promise<Reply<T>>;
}

export function sessionCookie(reply: Reply): string {
  const setCookie = reply.headers.get("set-cookie") ?? "";
  const match = /glasschat_session=[^;]+/.exec(setCookie);
  if (!match) throw new Error(`no session cookie in ${setCookie}`);
  return match[0];
}

export async function signUp(baseUrl: string, name = "user"): Promise<TestUser> {
  const suffix = randomBytes(4).toString("hex");
  const email = `${name}-${suffix}@example.com`;
  const password = "correct horse battery";
  const reply = await request<{ user: User }>(baseUrl, "POST", "/api/auth/register", {
    body: { email, username: `${name}_${suffix}`, password },
  });
  if (reply.status !== 201) throw new Error(`sign-up failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  const cookie = sessionCookie(reply);
  return {
    user: reply.body.user,
    email,
    password,
    cookie,
    api: (method, path, body) => request(baseUrl, method, path, { body, cookie }),
  };
}

/** Two signed-up users who share a direct chat. */
export async function pair(baseUrl: string) {
  const alice = await signUp(baseUrl, "alice");
  const bob = await signUp(baseUrl, "bob");
  const reply = await alice.api<{ chat: { id: string } }>("POST", "/api/chats", { email: bob.email });
  if (reply.status !== 201) throw new Error(`chat creation failed: ${reply.status}`);
  return { alice, bob, chatId: reply.body.chat.id };
}

const openSockets = new Set<ClientSocket>();

export function connect(
  baseUrl: string,
  cookie?: string,
  extraHeaders: Record<string, string> = {},
): ClientSocket {
  const socket: ClientSocket = io(baseUrl, {
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    extraHeaders: cookie ? { cookie, ...extraHeaders } : extraHeaders,
  });
  openSockets.add(socket);
  return socket;
}

/** Connects and waits for the server to accept the handshake. */
export async function connected(baseUrl: string, cookie: string): Promise<ClientSocket> {
  const socket = connect(baseUrl, cookie);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`socket did not connect within 10 s to ${baseUrl}`)),
      10_000,
    );
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once("connect_error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  return socket;
}

export function closeAllSockets(): void {
  for (const socket of openSockets) socket.disconnect();
  openSockets.clear();
}

/** Resolves with the next payload of `event`, or rejects after `ms`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  ms = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    socket.once(event, ((payload: Parameters<ServerToClientEvents[E]>[0]) => {
      clearTimeout(timer);
      resolve(payload);
    }) as never);
  });
}

/** Collects every payload of `event` from now on. */
export function collect<E extends keyof ServerToClientEvents>(socket: ClientSocket, event: E) {
  const seen: Parameters<ServerToClientEvents[E]>[0][] = [];
  socket.on(event, ((payload: Parameters<ServerToClientEvents[E]>[0]) => seen.push(payload)) as never);
  return seen;
}

export function send(socket: ClientSocket, payload: unknown) {
  return socket.timeout(5000).emitWithAck("message:send", payload as never);
}

/** Retries an assertion until it passes or time runs out: no fixed sleeps. */
export async function eventually(assertion: () => void | Promise<void>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

export const clientId = () => randomBytes(8).toString("hex");
