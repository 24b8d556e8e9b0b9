import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../src/protocol/index.js";
import {
  connect,
  connected,
  errorCode,
  eventually,
  request,
  sessionCookie,
  signUp,
} from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { startServer, type TestServer } from "./support/server.js";

describe.each(DIALECTS)("accounts and sessions (%s)", (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ dialect });
  });
  afterAll(() => server?.close());

  const post = (path: string, body?: unknown, headers?: Record<string, string>) =>
    request(server.url, "POST", path, { body, headers });

  it("registers a user, normalising email and username, and signs them in with an httpOnly cookie", async () => {
    const reply = await post("/api/auth/register", {
      email: "  Carol@Example.COM ",
      username: "Carol_1",
      password: "password123",
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({
      user: {
        id: expect.any(String),
        username: "carol_1",
        email: "carol@example.com",
        settings: DEFAULT_SETTINGS,
      },
    });
    const setCookie = reply.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/);
    const me = await request(server.url, "GET", "/api/me", { cookie: sessionCookie(reply) });
    expect(me.body).toEqual(reply.body);
  });

  it("refuses an email or username that differs only by case or surrounding spaces", async () => {
    await post("/api/auth/register", {
      email: "dave@example.com",
      username: "dave",
      password: "password123",
    });
    const sameEmail = await post("/api/auth/register", {
      email: " DAVE@example.com",
      username: "dave2",
      password: "password123",
    });
    expect(sameEmail.status).toBe(409);
    expect(errorCode(sameEmail)).toBe("email_taken");
    const sameName = await post("/api/auth/register", {
      email: "dave2@example.com",
      username: " DAVE ",
      password: "password123",
    });
    expect(sameName.status).toBe(409);
    expect(errorCode(sameName)).toBe("username_taken");
  });

  it.each([
    [{ email: "not-an-email", username: "okname", password: "password123" }, "email"],
    [{ email: "a@example.com", username: "x", password: "password123" }, "username"],
    [{ email: "a@example.com", username: "bad name!", password: "password123" }, "username"],
    [{ email: "a@example.com", username: "okname", password: "short" }, "password"],
    [{ email: "a@example.com", username: "okname", password: "x".repeat(257) }, "password"],
    [{ username: "okname", password: "password123" }, "email"],
  ])("answers 400 invalid_input naming the field for %j", async (body, field) => {
    const reply = await post("/api/auth/register", body);
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe("invalid_input");
    expect((reply.body as { error: { fields: Record<string, string> } }).error.fields).toHaveProperty(field);
  });

  it("answers malformed JSON, wrong content types and oversized bodies in the error shape", async () => {
    const malformed = await post("/api/auth/register", "{nope", { "content-type": "application/json" });
    expect(malformed.status).toBe(400);
    expect(errorCode(malformed)).toBe("invalid_input");
    const text = await post("/api/auth/register", "email=a", { "content-type": "text/plain" });
    expect(text.status).toBe(415);
    expect(errorCode(text)).toBe("unsupported_media_type");
    const huge = await post("/api/auth/register", {
      email: "a@example.com",
      username: "x".repeat(70_000),
      password: "p",
    });
    expect(huge.status).toBe(413);
    expect(errorCode(huge)).toBe("payload_too_large");
  });

  it("logs in with the same answer for an unknown email and a wrong password", async () => {
    const user = await signUp(server.url, "erin");
    const ok = await post("/api/auth/login", { email: user.email.toUpperCase(), password: user.password });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ user: user.user });
    const wrong = await post("/api/auth/login", { email: user.email, password: "wrong password" });
    const unknown = await post("/api/auth/login", {
      email: "nobody@example.com",
      password: "wrong password",
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(errorCode(wrong)).toBe("invalid_credentials");
  });

  it("answers 401 unauthorized without a session or with a forged cookie", async () => {
    const none = await request(server.url, "GET", "/api/me");
    expect(none.status).toBe(401);
    expect(errorCode(none)).toBe("unauthorized");
    const forged = await request(server.url, "GET", "/api/chats", { cookie: "glasschat_session=forged" });
    expect(forged.status).toBe(401);
  });

  it("logout revokes the session everywhere and disconnects its sockets", async () => {
    const user = await signUp(server.url, "frank");
    const socket = await connected(server.url, user.cookie);
    const disconnected = new Promise<string>((resolve) => socket.once("disconnect", resolve));
    const other = await post("/api/auth/login", { email: user.email, password: user.password });
    const otherSocket = await connected(server.url, sessionCookie(other));

    const reply = await user.api("POST", "/api/auth/logout");
    expect(reply.status).toBe(204);
    expect(await disconnected).toBe("io server disconnect");
    expect((await user.api("GET", "/api/me")).status).toBe(401);
    // The same user's other session is untouched.
    expect(otherSocket.connected).toBe(true);
    const refused = connect(server.url, user.cookie);
    const error = await new Promise<Error>((resolve) => refused.once("connect_error", resolve));
    expect(error.message).toBe("unauthorized");
  });

  it("refuses state-changing requests from another origin with 403 forbidden_origin", async () => {
    const user = await signUp(server.url, "gina");
    const foreign = await request(server.url, "POST", "/api/chats", {
      body: { email: "x@example.com" },
      cookie: user.cookie,
      headers: { origin: "https://evil.example" },
    });
    expect(foreign.status).toBe(403);
    expect(errorCode(foreign)).toBe("forbidden_origin");
    const crossSite = await request(server.url, "POST", "/api/auth/logout", {
      cookie: user.cookie,
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(crossSite.status).toBe(403);
    const sameOrigin = await request(server.url, "GET", "/api/me", {
      cookie: user.cookie,
      headers: { origin: server.url },
    });
    expect(sameOrigin.status).toBe(200);
  });
});

describe("rate limits", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMIT_REGISTER_PER_HOUR: "2" } });
  });
  afterAll(() => server?.close());

  it("limits registrations per IP with Retry-After, not counting malformed requests", async () => {
    for (let i = 0; i < 5; i++) {
      const bad = await request(server.url, "POST", "/api/auth/register", { body: { email: "bad" } });
      expect(bad.status).toBe(400);
    }
    await signUp(server.url, "r1");
    await signUp(server.url, "r2");
    const third = await request(server.url, "POST", "/api/auth/register", {
      body: { email: "r3@example.com", username: "r3name", password: "password123" },
    });
    expect(third.status).toBe(429);
    expect(errorCode(third)).toBe("rate_limited");
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("login failure limit", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMIT_LOGIN_FAILURES: "3" } });
  });
  afterAll(() => server?.close());

  it("locks an account after repeated failed logins, even for the right password, with Retry-After", async () => {
    const victim = await signUp(server.url, "victim");
    const login = (password: string) =>
      request(server.url, "POST", "/api/auth/login", { body: { email: victim.email, password } });
    for (let i = 0; i < 3; i++) expect((await login("wrong password")).status).toBe(401);
    const locked = await login(victim.password);
    expect(locked.status).toBe(429);
    expect(errorCode(locked)).toBe("rate_limited");
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    // Other accounts are not affected.
    const other = await signUp(server.url, "bystander");
    expect(
      (
        await request(server.url, "POST", "/api/auth/login", {
          body: { email: other.email, password: other.password },
        })
      ).status,
    ).toBe(200);
  });
});

describe("socket handshake", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.close());

  it("fails with connect_error 'unauthorized' without a valid session", async () => {
    const socket = connect(server.url);
    const error = await new Promise<Error>((resolve) => socket.once("connect_error", resolve));
    expect(error.message).toBe("unauthorized");
  });

  it("refuses a handshake from a foreign Origin even with a valid cookie", async () => {
    const user = await signUp(server.url, "hank");
    const socket = connect(server.url, user.cookie, { origin: "https://evil.example" });
    const error = await new Promise<Error>((resolve) => socket.once("connect_error", resolve));
    expect(socket.connected).toBe(false);
    expect(error).toBeInstanceOf(Error);
    const good = connect(server.url, user.cookie, { origin: server.url });
    await eventually(() => expect(good.connected).toBe(true));
  });
});
