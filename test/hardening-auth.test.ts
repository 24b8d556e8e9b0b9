import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCode, request, signUp, type TestUser } from "./support/client.js";
import { startServer, type TestServer } from "./support/server.js";

/** A login from the client address `ip` (the server trusts X-Forwarded-For in these tests). */
const login = (server: TestServer, email: string, password: string, ip = "192.0.2.1") =>
  request(server.url, "POST", "/api/auth/login", {
    body: { email, password },
    headers: { "x-forwarded-for": ip },
  });

const statuses = (replies: { status: number }[]) => {
  const counts: Record<number, number> = {};
  for (const { status } of replies) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
};

describe("login failure limits under parallel attempts", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      env: { TRUST_PROXY: "on", RATE_LIMIT_LOGIN_FAILURES: "10", RATE_LIMIT_LOGIN_FAILURES_PER_IP: "30" },
    });
  });
  afterAll(() => server?.close());

  it("evaluates at most the limit of 200 concurrent wrong passwords for one account from one IP", async () => {
    const victim = await signUp(server.url, "parallel");
    const replies = await Promise.all(
      Array.from({ length: 200 }, () => login(server, victim.email, "wrong password", "198.51.100.7")),
    );
    const counts = statuses(replies);
    expect(counts[401]).toBe(10);
    expect(counts[429]).toBe(190);
    const refused = replies.find((reply) => reply.status === 429);
    expect(refused && errorCode(refused)).toBe("rate_limited");
    expect(Number(refused?.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("evaluates at most the per-IP limit of concurrent wrong passwords spread over many accounts", async () => {
    const replies = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        login(server, `nobody-${i}@example.com`, "wrong password", "198.51.100.8"),
      ),
    );
    expect(statuses(replies)).toEqual({ 401: 30, 429: 90 });
  });

  it("counts by the address the proxy added, whatever the client put before it in X-Forwarded-For", async () => {
    const victim = await signUp(server.url, "forged");
    const replies = [];
    for (let i = 0; i < 15; i++)
      replies.push(await login(server, victim.email, "wrong password", `10.9.8.${i}, 198.51.100.30`));
    expect(statuses(replies)).toEqual({ 401: 10, 429: 5 });
  });

  it("does not count a right password against the limits", async () => {
    const user = await signUp(server.url, "rightful");
    for (let i = 0; i < 15; i++)
      expect((await login(server, user.email, user.password, "198.51.100.9")).status).toBe(200);
    expect((await login(server, user.email, "wrong password", "198.51.100.9")).status).toBe(401);
  });
});

describe("malicious lockout", () => {
  let server: TestServer;
  let owner: TestUser;
  const ownerIp = "198.51.100.20";
  beforeAll(async () => {
    server = await startServer({
      env: {
        TRUST_PROXY: "on",
        RATE_LIMIT_LOGIN_FAILURES: "10",
        RATE_LIMIT_LOGIN_FAILURES_PER_IP: "100",
        RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: "25",
      },
    });
  });
  afterAll(() => server?.close());

  it("a stranger's wrong passwords lock out the stranger's address, not the owner", async () => {
    owner = await signUp(server.url, "owner");
    const attacks = [];
    for (let i = 0; i < 12; i++) attacks.push(await login(server, owner.email, "guess", "203.0.113.5"));
    expect(statuses(attacks)).toEqual({ 401: 10, 429: 2 });
    // The attacker's address stays locked even with the right password.
    expect((await login(server, owner.email, owner.password, "203.0.113.5")).status).toBe(429);
    expect((await login(server, owner.email, owner.password, ownerIp)).status).toBe(200);
  });

  it("caps guesses at one account from many addresses, yet the owner's known address still signs in", async () => {
    const attacks = [];
    for (let ip = 10; ip < 20; ip++)
      for (let i = 0; i < 10; i++) attacks.push(await login(server, owner.email, "guess", `203.0.113.${ip}`));
    // 10 were already spent by the first test: 25 per account per hour from unknown addresses in all.
    expect(statuses(attacks)).toEqual({ 401: 15, 429: 85 });
    expect((await login(server, owner.email, owner.password, ownerIp)).status).toBe(200);
    const fresh = await login(server, owner.email, owner.password, "192.0.2.99");
    expect(fresh.status).toBe(429);
    expect(errorCode(fresh)).toBe("rate_limited");
  });
});

describe("email look-ups", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMIT_LOOKUPS_PER_HOUR: "20" } });
  });
  afterAll(() => server?.close());

  it("limits POST /api/chats look-ups per user with 429 rate_limited and Retry-After", async () => {
    const prober = await signUp(server.url, "prober");
    const replies = [];
    for (let i = 0; i < 300; i++)
      replies.push(await prober.api("POST", "/api/chats", { email: `probe-${i}@example.com` }));
    expect(statuses(replies)).toEqual({ 404: 20, 429: 280 });
    const refused = replies.at(-1);
    expect(refused && errorCode(refused)).toBe("rate_limited");
    expect(Number(refused?.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another user has a quota of their own.
    const other = await signUp(server.url, "other");
    expect((await other.api("POST", "/api/chats", { email: prober.email })).status).toBe(201);
  });
});
