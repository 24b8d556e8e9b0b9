import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAdmin } from "./support/admin.js";
import { closeAllSockets, connected, errorCode, request, signUp } from "./support/client.js";
import { startServer, type TestServer } from "./support/server.js";

/** `npm run admin -- invite | disable | outbox` against a running server's database and data folder. */
describe("admin commands for accounts", { timeout: 120_000 }, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { REGISTRATION: "invite", SESSION_CHECK_INTERVAL_MS: "200" } });
  });
  afterAll(async () => {
    closeAllSockets();
    await server?.close();
  });
  const admin = (args: string[]) =>
    runAdmin({ DATABASE_URL: server.databaseUrl, DATA_DIR: server.dataDir, REGISTRATION: "invite" }, args);

  it("invite prints a link that opens an invite-only server to its first account", async () => {
    const run = await admin(["invite", "First@Example.com"]);
    expect(run.code).toBe(0);
    const link = /http:\/\/localhost:3000\/#\/invite\/(\S+)/.exec(run.stdout);
    expect(link).not.toBeNull();
    const reply = await request(server.url, "POST", "/api/auth/register", {
      body: {
        email: "first@example.com",
        username: "first",
        password: "correct horse battery",
        invitation: link?.[1],
      },
    });
    expect(reply.status).toBe(201);
    expect((await admin(["invite", "first@example.com"])).code).toBe(1);
    expect((await admin(["invite"])).code).toBe(2);
  });

  it("disable ends the account's sessions (and sockets) and refuses its sign-in", async () => {
    const run0 = await admin(["invite", "second@example.com"]);
    const token = /\/#\/invite\/(\S+)/.exec(run0.stdout)?.[1];
    const reply = await request(server.url, "POST", "/api/auth/register", {
      body: {
        email: "second@example.com",
        username: "second",
        password: "correct horse battery",
        invitation: token,
      },
    });
    const cookie = /glasschat_session=[^;]+/.exec(reply.headers.get("set-cookie") ?? "")?.[0] ?? "";
    const socket = await connected(server.url, cookie);
    const gone = new Promise((resolve) => socket.once("disconnect", resolve));
    const run = await admin(["disable", "second@example.com"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("ended 1 session");
    await gone;
    expect((await request(server.url, "GET", "/api/me", { cookie })).status).toBe(401);
    const login = await request(server.url, "POST", "/api/auth/login", {
      body: { email: "second@example.com", password: "correct horse battery" },
    });
    expect(errorCode(login)).toBe("invalid_credentials");
    expect((await admin(["disable", "nobody@example.com"])).code).toBe(1);
  });

  it("outbox shows the mail written without SMTP_URL", async () => {
    const open = await startServer();
    try {
      const ann = await signUp(open.url, "ann");
      await ann.api("POST", "/api/invitations", { email: "pal@example.com" });
      const run = await runAdmin({ DATABASE_URL: open.databaseUrl, DATA_DIR: open.dataDir }, ["outbox"]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("to pal@example.com");
      expect(run.stdout).toContain(`Subject: ${ann.user.username} invited you to Glasschat`);
      expect(run.stdout).toMatch(/1 mail in /);
    } finally {
      await open.close();
    }
  });
});
