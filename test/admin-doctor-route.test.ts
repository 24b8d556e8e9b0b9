import { createServer as createNetServer, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { doctorReportSchema } from "../src/protocol/doctor.js";
import { errorCode, request, sessionCookie, signUp } from "./support/client.js";
import { DIALECTS, type Dialect, TEST_REDIS_URL } from "./support/databases.js";
import { freePort } from "./support/process.js";
import { startServer, type TestServer } from "./support/server.js";
import { startSmtpGreeter } from "./support/smtp-greeter.js";

const ADMIN = "root@admin.test";
const PASSWORD = "correct horse battery";
const SESSION_SECRET = "doctor-route-session-secret-0123456789";

async function signUpAdmin(server: TestServer): Promise<string> {
  const reply = await request(server.url, "POST", "/api/auth/register", {
    body: { email: ADMIN, username: "root", password: PASSWORD },
  });
  expect(reply.status).toBe(201);
  return sessionCookie(reply);
}

async function doctorAs(server: TestServer, cookie: string) {
  const reply = await request(server.url, "GET", "/api/admin/doctor", { cookie });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return doctorReportSchema.parse(reply.body);
}

describe.each(DIALECTS)("GET /api/admin/doctor (%s)", (dialect: Dialect) => {
  let server: TestServer;
  let smtp: Awaited<ReturnType<typeof startSmtpGreeter>>;
  let adminCookie: string;

  beforeAll(async () => {
    smtp = await startSmtpGreeter();
    const port = await freePort();
    server = await startServer({
      dialect,
      port,
      env: {
        // ADMIN_EMAILS is matched without regard to case.
        ADMIN_EMAILS: ` someone@else.test , ${ADMIN.toUpperCase()}`,
        SMTP_URL: smtp.url.replace("smtp://", "smtp://mailer:smtp-pass-9f3@"),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        SESSION_SECRET,
        ...(dialect === "postgres" ? { REDIS_URL: TEST_REDIS_URL as string } : {}),
      },
    });
    adminCookie = await signUpAdmin(server);
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.close();
  });

  it("gives an admin every check of `npm run admin -- doctor` as JSON, with what to do", async () => {
    const report = await doctorAs(server, adminCookie);
    const names = report.checks.map((c) => c.name);
    const expected = ["config", "database", "migrations", "smtp", "push", "disk", "write", "proxy"];
    if (dialect === "postgres") expected.splice(3, 0, "redis");
    expect(names).toEqual(expected);
    const byName = Object.fromEntries(report.checks.map((c) => [c.name, c]));
    for (const name of expected.filter((n) => n !== "push")) {
      expect(byName[name]?.status, `${name}: ${byName[name]?.message}`).toBe("ok");
      expect(byName[name]?.hint).toBeNull();
    }
    expect(byName.database?.message).toContain(`${dialect} at`);
    expect(byName.migrations?.message).toMatch(/^up to date \(\d+ applied\)$/);
    expect(byName.smtp?.message).toContain("greeter.test ESMTP ready");
    expect(byName.proxy?.message).toMatch(/^WebSocket upgrade through http:\/\/127\.0\.0\.1:\d+ works$/);
    // No VAPID_SUBJECT with an http PUBLIC_URL (SQLite), per-node keys with Redis (PostgreSQL): a
    // warning with its fix, so the whole is a warning.
    expect(byName.push?.status).toBe("warning");
    expect(byName.push?.hint).toMatch(/VAPID_(SUBJECT|PUBLIC_KEY)/);
    expect(report.status).toBe("warning");
    expect(smtp.heard.slice(-2)).toEqual(["EHLO", "QUIT"]);
  });

  it("uses the server's own Redis connection", async () => {
    const report = await doctorAs(server, adminCookie);
    const redis = report.checks.find((c) => c.name === "redis");
    expect(redis ? redis.message : "no REDIS_URL").toBe(
      dialect === "postgres" ? "PING answered on the server's own connection" : "no REDIS_URL",
    );
  });

  it("shows no secret: neither the SMTP password nor the session secret", async () => {
    const reply = await request(server.url, "GET", "/api/admin/doctor", { cookie: adminCookie });
    const text = JSON.stringify(reply.body);
    expect(text).toContain("mailer:***@");
    expect(text).not.toContain("smtp-pass-9f3");
    expect(text).not.toContain(SESSION_SECRET);
  });

  it("answers a signed-in user who is not an admin as an unknown route does (404 not_found)", async () => {
    const user = await signUp(server.url, "plain");
    const doctor = await user.api("GET", "/api/admin/doctor");
    const unknown = await user.api("GET", "/api/admin/nothing-here");
    expect(doctor.status).toBe(404);
    expect(doctor.body).toEqual(unknown.body);
    expect(errorCode(doctor)).toBe("not_found");
  });

  it("refuses a request without a session with 401 unauthorized", async () => {
    const reply = await request(server.url, "GET", "/api/admin/doctor");
    expect(reply.status).toBe(401);
    expect(errorCode(reply)).toBe("unauthorized");
  });
});

describe("GET /api/admin/doctor with a mail server that never greets", () => {
  const silent: Socket[] = [];
  const mute = createNetServer((socket) => silent.push(socket));
  let server: TestServer;

  beforeAll(async () => {
    await new Promise<void>((resolve) => mute.listen(0, "127.0.0.1", resolve));
    const mutePort = (mute.address() as { port: number }).port;
    server = await startServer({
      env: {
        ADMIN_EMAILS: ADMIN,
        SMTP_URL: `smtp://127.0.0.1:${mutePort}`,
        PUBLIC_URL: "http://127.0.0.1:9",
      },
    });
  });
  afterAll(async () => {
    for (const socket of silent) socket.destroy();
    await new Promise((resolve) => mute.close(resolve));
    await server?.close();
  });

  it("still answers within its timeouts, the SMTP check failed with what to do", async () => {
    const cookie = await signUpAdmin(server);
    const report = await doctorAs(server, cookie);
    const smtpCheck = report.checks.find((c) => c.name === "smtp");
    expect(smtpCheck?.status).toBe("failed");
    expect(smtpCheck?.hint).toContain("SMTP_URL");
    expect(report.checks.find((c) => c.name === "proxy")?.status).toBe("failed");
    expect(report.status).toBe("failed");
  }, 20_000);
});

describe("GET /api/admin/doctor without SMTP_URL", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { ADMIN_EMAILS: ADMIN } });
  });
  afterAll(() => server?.close());

  it("warns that mail goes to the outbox and says how to read it", async () => {
    const report = await doctorAs(server, await signUpAdmin(server));
    const smtp = report.checks.find((c) => c.name === "smtp");
    expect(smtp?.status).toBe("warning");
    expect(smtp?.message).toContain("DATA_DIR/outbox");
    expect(smtp?.hint).toContain("npm run admin -- outbox");
  });
});
