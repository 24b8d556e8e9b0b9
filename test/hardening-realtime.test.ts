import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { MessagePage, SendAck } from "../src/protocol/index.js";
import {
  type ClientSocket,
  closeAllSockets,
  collect,
  connect,
  connected,
  errorCode,
  eventually,
  pair,
  request,
  send,
  signUp,
} from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { startServer, type TestServer } from "./support/server.js";

const outcome = (ack: SendAck) => (ack.ok ? "ok" : ack.error.code);

async function storedBodies(
  user: { api: (m: string, p: string) => Promise<{ body: unknown }> },
  chatId: string,
) {
  const page = (await user.api("GET", `/api/chats/${chatId}/messages?limit=100`)).body as MessagePage;
  return page.messages.map((m) => m.body);
}

function disconnected(socket: ClientSocket): Promise<string> {
  return new Promise((resolve) => socket.once("disconnect", (reason) => resolve(reason)));
}

function handshakeError(socket: ClientSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => reject(new Error("the handshake was accepted")));
    socket.once("connect_error", (error) => resolve(error.message));
  });
}

describe.each(DIALECTS)("realtime hardening (%s)", (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ dialect, env: { SESSION_CHECK_INTERVAL_MS: "200" } });
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  it("refuses ill-formed UTF-16 and NUL in every field of message:send with invalid_input and stores nothing", async () => {
    const { alice, chatId } = await pair(server.url);
    const socket = await connected(server.url, alice.cookie);
    const refused = [
      { chatId, body: "\ud800", clientId: "s1" },
      { chatId, body: "ok\udc00ok", clientId: "s2" },
      { chatId, body: "tail\ud83d", clientId: "s3" },
      { chatId, body: "a\u0000b", clientId: "s4" },
      { chatId, body: "fine", clientId: "\ud800" },
      { chatId: `${chatId}\udfff`, body: "fine", clientId: "s6" },
    ];
    for (const payload of refused) {
      const ack = await send(socket, payload);
      expect(ack.ok ? "ok" : ack.error.code, JSON.stringify(payload)).toBe("invalid_input");
    }
    // A well-formed astral character, joiners inside an emoji: stored exactly as sent.
    const fine = "😀 👩‍💻 \ud83d\ude00";
    const ack = await send(socket, { chatId, body: fine, clientId: "s7" });
    expect(ack.ok && ack.message.body).toBe(fine);
    expect(await storedBodies(alice, chatId)).toEqual([fine]);
  });

  it("counts a body of only invisible characters as empty", async () => {
    const { alice, chatId } = await pair(server.url);
    const socket = await connected(server.url, alice.cookie);
    for (const body of ["\u200b", "\u200b\u200c\u200d", "\u2060\ufeff", "\u0001\u0007", " \t\n\u200b "]) {
      const ack = await send(socket, { chatId, body, clientId: `i${body.length}${body.charCodeAt(0)}` });
      expect(outcome(ack), JSON.stringify(body)).toBe("invalid_input");
    }
    expect(await storedBodies(alice, chatId)).toEqual([]);
  });

  it("refuses lone surrogates in HTTP bodies with invalid_input", async () => {
    const { alice } = await pair(server.url);
    const register = await request(server.url, "POST", "/api/auth/register", {
      body: { email: "lone@example.com", username: "lone\ud800", password: "correct horse battery" },
    });
    expect([register.status, errorCode(register)]).toEqual([400, "invalid_input"]);
    const weakPassword = await request(server.url, "POST", "/api/auth/register", {
      body: { email: "lone2@example.com", username: "lone2", password: "correct horse \udc00" },
    });
    expect([weakPassword.status, errorCode(weakPassword)]).toEqual([400, "invalid_input"]);
    const login = await request(server.url, "POST", "/api/auth/login", {
      body: { email: alice.email, password: "\ud800" },
    });
    expect([login.status, errorCode(login)]).toEqual([400, "invalid_input"]);
    const chat = await alice.api("POST", "/api/chats", { email: "\ud800@example.com" });
    expect([chat.status, errorCode(chat)]).toEqual([400, "invalid_input"]);
  });

  it("acknowledges a message:send frame that carries extra arguments, from its last argument", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const socket = await connected(server.url, alice.cookie);
    const bobSocket = await connected(server.url, bob.cookie);
    const bobGot = collect(bobSocket, "message:new");
    // socket.io-client writes 42<id>["message:send",{…},"extra",{"a":1}]
    const raw = socket as unknown as { emit: (...args: unknown[]) => void };
    const ack = await new Promise<SendAck>((resolve) =>
      raw.emit("message:send", { chatId, body: "with extras", clientId: "x1" }, "extra", { a: 1 }, resolve),
    );
    expect(outcome(ack)).toBe("ok");
    await eventually(() => expect(bobGot.map((m) => m.body)).toEqual(["with extras"]));
    expect(await storedBodies(alice, chatId)).toEqual(["with extras"]);
  });

  it("stores nothing from a message:send frame without an acknowledgement callback", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const socket = await connected(server.url, alice.cookie);
    const bobSocket = await connected(server.url, bob.cookie);
    const bobGot = collect(bobSocket, "message:new");
    const raw = socket as unknown as { emit: (...args: unknown[]) => void };
    raw.emit("message:send", { chatId, body: "nobody is told", clientId: "n1" });
    raw.emit("message:send", { chatId, body: "nobody is told either", clientId: "n2" }, "extra");
    expect(outcome(await send(socket, { chatId, body: "acked", clientId: "n3" }))).toBe("ok");
    await eventually(() => expect(bobGot.map((m) => m.body)).toEqual(["acked"]));
    expect(await storedBodies(alice, chatId)).toEqual(["acked"]);
  });

  it("disconnects a socket when its session expires, refuses its events after the expiry and its next handshake", async () => {
    const { alice, chatId } = await pair(server.url);
    const socket = await connected(server.url, alice.cookie);
    const gone = disconnected(socket);
    const expiresAt = Date.now() + 1500;
    await sql`update sessions set expires_at = ${expiresAt} where user_id = ${alice.user.id}`.execute(
      server.app.database.db,
    );
    expect(await gone).toBe("io server disconnect");
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt - 50);

    const late = await socket
      .timeout(1000)
      .emitWithAck("message:send", { chatId, body: "after expiry", clientId: "e1" })
      .then(outcome, () => "no answer");
    expect(late).not.toBe("ok");
    expect(await handshakeError(connect(server.url, alice.cookie))).toBe("unauthorized");
    const again = await signUp(server.url, "carol");
    expect((await connected(server.url, again.cookie)).connected).toBe(true);
    await sql`update sessions set expires_at = ${Date.now() + 60_000} where user_id = ${alice.user.id}`.execute(
      server.app.database.db,
    );
    expect(await storedBodies(alice, chatId)).toEqual([]);
  });

  it("disconnects a socket whose session was deleted behind this node's back", async () => {
    const { alice } = await pair(server.url);
    const socket = await connected(server.url, alice.cookie);
    const gone = disconnected(socket);
    await sql`delete from sessions where user_id = ${alice.user.id}`.execute(server.app.database.db);
    expect(await gone).toBe("io server disconnect");
  });
});

describe("flood limits (sqlite)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      env: { RATE_LIMIT_SOCKET_EVENTS_PER_10S: "10", RATE_LIMIT_HANDSHAKES_PER_MINUTE: "6" },
    });
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  it("disconnects a connection that keeps sending after being refused, and nobody else", async () => {
    const { alice, bob, chatId } = await pair(server.url);
    const flooder = await connected(server.url, alice.cookie);
    const bystander = await connected(server.url, bob.cookie);
    const gone = disconnected(flooder);
    const outcomes: string[] = [];
    for (let i = 0; i < 100; i++) {
      flooder.emit("message:send", { chatId, body: `f${i}`, clientId: `f${i}` }, (ack) =>
        outcomes.push(outcome(ack)),
      );
    }
    expect(await gone).toBe("io server disconnect");
    // 10 within the limit, then twice the limit refused, then the connection is dropped.
    expect(outcomes.filter((o) => o === "rate_limited")).toHaveLength(20);
    expect(bystander.connected).toBe(true);
    expect(outcome(await send(bystander, { chatId, body: "still here", clientId: "b1" }))).toBe("ok");
  });

  it("limits handshakes per client IP with rate_limited", async () => {
    const { alice } = await pair(server.url);
    // Earlier tests of this suite used some of this IP's handshakes.
    const errors: string[] = [];
    for (let i = 0; i < 8; i++) {
      const socket = connect(server.url, alice.cookie);
      await new Promise<void>((resolve) => {
        socket.once("connect", () => resolve());
        socket.once("connect_error", (error) => {
          errors.push(error.message);
          resolve();
        });
      });
    }
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(new Set(errors)).toEqual(new Set(["rate_limited"]));
  });
});
