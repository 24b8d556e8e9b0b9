import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseDatabaseUrl } from "../src/server/config.js";
import { runServerExpectingFailure } from "./support/process.js";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "glasschat-config-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("configuration", () => {
  it("needs nothing: SQLite under the data folder, port 3000, a generated secret kept across starts", () => {
    const dataDir = tempDir();
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ dialect: "sqlite", path: join(dataDir, "glasschat.db") });
    expect(config.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: dataDir }).sessionSecret).toBe(config.sessionSecret);
    expect(config.rateLimits.registerPerHour).toBeGreaterThan(0);
    expect(config.sqliteSynchronous).toBe("full");
  });

  it("reads PUBLIC_URL into the allowed origin and Secure cookies for https", () => {
    const config = loadConfig({ DATA_DIR: tempDir(), PUBLIC_URL: "https://chat.example.org/app" });
    expect(config.publicOrigin).toBe("https://chat.example.org");
    expect(config.secureCookies).toBe(true);
  });

  it.each([
    [{ PORT: "seventy" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ DATABASE_URL: "sqlite:" }, "DATABASE_URL"],
    [{ SESSION_SECRET: "short" }, "SESSION_SECRET"],
    [{ PUBLIC_URL: "ftp://x" }, "PUBLIC_URL"],
    [{ REDIS_URL: "http://x" }, "REDIS_URL"],
    [{ RATE_LIMIT_MESSAGES_PER_10S: "-1" }, "RATE_LIMIT_MESSAGES_PER_10S"],
    [{ RATE_LIMIT_HANDSHAKE_BURST: "-1" }, "RATE_LIMIT_HANDSHAKE_BURST"],
    [{ RATE_LIMIT_HANDSHAKE_BURST: "twenty" }, "RATE_LIMIT_HANDSHAKE_BURST"],
    [{ SQLITE_SYNCHRONOUS: "off" }, "SQLITE_SYNCHRONOUS"],
    [{ ADMIN_EMAILS: "root@example.org, not-an-email" }, "ADMIN_EMAILS"],
    [{ REDIS_URL: "redis://127.0.0.1:6379" }, "REDIS_URL"],
    [{ REDIS_URL: "redis://127.0.0.1:6379", DATABASE_URL: "postgres://h/db" }, "SESSION_SECRET"],
  ])("refuses %j with a message naming the variable", (env, variable) => {
    expect(() => loadConfig({ DATA_DIR: tempDir(), ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: tempDir(), ...env })).toThrow(variable);
  });

  it("reads ADMIN_EMAILS as a list of lower-case addresses (none by default)", () => {
    expect(loadConfig({ DATA_DIR: tempDir() }).adminEmails).toEqual([]);
    expect(
      loadConfig({ DATA_DIR: tempDir(), ADMIN_EMAILS: " Root@Example.org,, ops@example.org " }).adminEmails,
    ).toEqual(["root@example.org", "ops@example.org"]);
  });

  it("parses both database URL forms", () => {
    expect(parseDatabaseUrl("postgres://u@h:5432/db")).toEqual({
      dialect: "postgres",
      url: "postgres://u@h:5432/db",
    });
    expect(parseDatabaseUrl("sqlite:/tmp/x.db")).toEqual({ dialect: "sqlite", path: "/tmp/x.db" });
  });
});

describe("bad configuration at start", () => {
  it("exits with a clear message when the data folder is not writable", async () => {
    const file = join(tempDir(), "a-file");
    writeFileSync(file, "");
    const { code, output } = await runServerExpectingFailure({ DATA_DIR: join(file, "data") });
    expect(code).toBe(1);
    expect(output).toMatch(/not writable/);
    expect(output).not.toMatch(/\n\s+at /);
  });

  it("exits with a clear message when PostgreSQL cannot be reached", async () => {
    const { code, output } = await runServerExpectingFailure({
      DATA_DIR: tempDir(),
      DATABASE_URL: "postgres://nobody:secret@127.0.0.1:9/nothing",
    });
    expect(code).toBe(1);
    expect(output).toMatch(/Cannot open the database \(postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:9\/nothing\)/);
    expect(output).not.toContain("secret");
  });

  it("exits listing every invalid variable", async () => {
    const { code, output } = await runServerExpectingFailure({
      DATA_DIR: tempDir(),
      PORT: "x",
      LOG_LEVEL: "loud",
    });
    expect(code).toBe(1);
    expect(output).toMatch(/PORT/);
    expect(output).toMatch(/LOG_LEVEL/);
  });
});
