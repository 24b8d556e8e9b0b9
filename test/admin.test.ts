import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createClient, type GlasschatClient, type Message } from "../src/client/index.js";
import type { App } from "../src/server/app.js";
import { runAdmin } from "./support/admin.js";
import { signUp } from "./support/client.js";
import { DIALECTS, TEST_REDIS_URL } from "./support/databases.js";
import { startServerOn } from "./support/fixed-server.js";
import { freePort } from "./support/process.js";
import { startServer } from "./support/server.js";
import { startSmtpGreeter } from "./support/smtp-greeter.js";

// Every test runs the CLI (and servers) as processes: slow on a busy machine, never a speed test.
vi.setConfig({ testTimeout: 180_000 });

const temporary: string[] = [];
const tempDir = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `glasschat-${name}-`));
  temporary.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

describe.each(DIALECTS)("admin users on %s", (dialect) => {
  it("lists a registered account with its email, username and creation time", async () => {
    const server = await startServer({ dialect });
    try {
      const ann = await signUp(server.url, "ann");
      const run = await runAdmin({ DATABASE_URL: server.databaseUrl, DATA_DIR: tempDir("data") }, ["users"]);
      expect(run.stderr).not.toMatch(/failed|Error/);
      expect(run.code).toBe(0);
      const line = run.stdout.split("\n").find((l) => l.includes(ann.email)) ?? "";
      expect(line).toContain(ann.user.id);
      expect(line).toContain(ann.user.username);
      expect(line).toMatch(/\d{4}-\d{2}-\d{2}T/);

      const json = await runAdmin({ DATABASE_URL: server.databaseUrl, DATA_DIR: tempDir("data") }, [
        "users",
        "--json",
      ]);
      expect(JSON.parse(json.stdout)).toContainEqual(
        expect.objectContaining({ email: ann.email, id: ann.user.id }),
      );
    } finally {
      await server.close();
    }
  });
});

describe("admin backup and restore (SQLite)", () => {
  const servers: App[] = [];
  const clients: GlasschatClient[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all(servers.map((server) => server.close()));
  });

  it("backs up a server under write load; the restore holds every message acknowledged before", async () => {
    const source = tempDir("source");
    mkdirSync(join(source, "files", "ab"), { recursive: true });
    writeFileSync(join(source, "files", "ab", "upload.bin"), "file bytes");
    const sourcePort = String(await freePort());
    const server = await startServerOn(source, Number(sourcePort));
    servers.push(server);
    const url = `http://127.0.0.1:${sourcePort}`;

    const ann = createClient({ url });
    const ben = createClient({ url });
    clients.push(ann, ben);
    await ann.register({ email: "ann@example.com", username: "ann", password: "ann password 1" });
    await ben.register({ email: "ben@example.com", username: "ben", password: "ben password 1" });
    const chat = await ann.startChat("ben@example.com");
    await ann.connect();

    const acked: Message[] = [];
    let writing = true;
    const writer = (async () => {
      for (let n = 0; writing; n++) acked.push(await ann.send(chat.id, `message ${n}`));
    })();
    const waitFor = async (count: number) => {
      while (acked.length < count) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    await waitFor(20);

    const archive = join(tempDir("archive"), "glasschat-backup.tar.gz");
    // Acknowledged before the copy began: committed before its snapshot, so they must be in it.
    let ackedBefore: string[] = [];
    const backup = await runAdmin({ DATA_DIR: source, PORT: sourcePort }, ["backup", archive], (text) => {
      if (ackedBefore.length === 0 && text.includes("Copying the SQLite database")) {
        ackedBefore = acked.map((m) => m.id);
      }
    });
    const countAfterBackup = acked.length;
    await waitFor(countAfterBackup + 5);
    writing = false;
    await writer;
    expect(backup.stderr).not.toMatch(/failed|Error/);
    expect(backup.code).toBe(0);
    expect(backup.stdout).toContain("session-secret");
    expect(backup.stdout).toContain("files/ab/upload.bin");
    // The writes went on while the backup ran.
    expect(acked.length).toBeGreaterThan(countAfterBackup);

    // Refused while the server runs: seen on its port, and by the open database on another one.
    const onPort = await runAdmin({ DATA_DIR: source, PORT: sourcePort }, ["restore", archive]);
    expect(onPort.code).toBe(1);
    expect(onPort.stdout).toMatch(/server seems to be running \(a server answers/);
    const byLock = await runAdmin({ DATA_DIR: source, PORT: String(await freePort()) }, ["restore", archive]);
    expect(byLock.code).toBe(1);
    expect(byLock.stdout).toMatch(/another process has .* open/);

    const target = tempDir("target");
    const targetPort = String(await freePort());
    const restored = await runAdmin({ DATA_DIR: target, PORT: targetPort }, ["restore", archive]);
    expect(restored.stderr).not.toMatch(/failed|Error/);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain("integrity check: ok");
    expect(readFileSync(join(target, "session-secret"), "utf8")).toBe(
      readFileSync(join(source, "session-secret"), "utf8"),
    );
    expect(readFileSync(join(target, "files", "ab", "upload.bin"), "utf8")).toBe("file bytes");

    const database = new SqliteDatabase(join(target, "glasschat.db"), { readonly: true });
    expect(database.pragma("integrity_check", { simple: true })).toBe("ok");
    database.close();

    const copy = await startServerOn(target, Number(targetPort));
    servers.push(copy);
    const reader = createClient({ url: `http://127.0.0.1:${targetPort}` });
    clients.push(reader);
    await reader.login({ email: "ben@example.com", password: "ben password 1" });
    const held = new Set<string>();
    let page = await reader.history(chat.id, { limit: 100 });
    for (const m of page.messages) held.add(m.id);
    while (page.hasMore && page.messages[0]) {
      page = await reader.history(chat.id, { before: page.messages[0].id, limit: 100 });
      for (const m of page.messages) held.add(m.id);
    }
    expect(ackedBefore.length).toBeGreaterThanOrEqual(20);
    expect(ackedBefore.filter((id) => !held.has(id))).toEqual([]);

    // Over an existing database only with --force, and never onto the running copy.
    await copy.close();
    const again = await runAdmin({ DATA_DIR: target, PORT: targetPort }, ["restore", archive]);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain("--force");
    const forced = await runAdmin({ DATA_DIR: target, PORT: targetPort }, ["restore", archive, "--force"]);
    expect(forced.code).toBe(0);
  });
});

describe("admin doctor", () => {
  it("says ok for a healthy setup: database, migrations, SMTP handshake, disk, write, WebSocket upgrade", async () => {
    const server = await startServer();
    const smtp = await startSmtpGreeter();
    try {
      const run = await runAdmin(
        {
          DATABASE_URL: server.databaseUrl,
          DATA_DIR: tempDir("data"),
          SMTP_URL: smtp.url,
          PUBLIC_URL: server.url,
        },
        ["doctor"],
      );
      expect(run.stdout).not.toContain("failed");
      expect(run.code).toBe(0);
      for (const name of ["config", "database", "migrations", "smtp", "disk", "write", "proxy"]) {
        expect(run.stdout).toMatch(new RegExp(`^ok +${name} `, "m"));
      }
      expect(run.stdout).toMatch(/^ok +smtp .*greeter\.test ESMTP ready.*STARTTLS/m);
      expect(run.stdout).toMatch(/^ok +proxy +WebSocket upgrade through http:\/\/127\.0\.0\.1:\d+ works/m);
      expect(run.stdout).toMatch(/^warning +push +VAPID keys: in DATA_DIR\/vapid-keys\.json; no contact/m);
      expect(smtp.heard).toEqual(["EHLO", "QUIT"]);
    } finally {
      await smtp.close();
      await server.close();
    }
  });

  it.skipIf(!TEST_REDIS_URL || !DIALECTS.includes("postgres"))(
    "checks PostgreSQL and Redis with PING when REDIS_URL is set",
    async () => {
      const server = await startServer({ dialect: "postgres" });
      try {
        const run = await runAdmin(
          {
            DATABASE_URL: server.databaseUrl,
            DATA_DIR: tempDir("data"),
            REDIS_URL: TEST_REDIS_URL as string,
            SESSION_SECRET: "s".repeat(40),
          },
          ["doctor"],
        );
        expect(run.stdout).toMatch(/^ok +database +postgres/m);
        expect(run.stdout).toMatch(/^ok +redis +PING answered PONG/m);
        expect(run.code).toBe(0);
      } finally {
        await server.close();
      }
    },
  );

  it("fails for an unreachable PostgreSQL, a missing SMTP server and a proxy that does not answer", async () => {
    const closed = await freePort();
    const run = await runAdmin(
      {
        DATABASE_URL: `postgres://glasschat:secret-pw@127.0.0.1:${closed}/glasschat`,
        DATA_DIR: tempDir("data"),
        SMTP_URL: `smtp://127.0.0.1:${closed}`,
        PUBLIC_URL: `http://127.0.0.1:${closed}`,
      },
      ["doctor"],
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^failed +database +cannot reach postgres:\/\/glasschat:\*\*\*@127\.0\.0\.1/m);
    expect(run.stdout).toMatch(/^failed +smtp +no SMTP handshake/m);
    expect(run.stdout).toMatch(/^failed +proxy +Socket\.IO handshake/m);
    expect(run.stdout).toContain("→ Check that PostgreSQL runs");
    expect(run.stdout).not.toContain("secret-pw");
  });

  it("fails the proxy check when a reverse proxy does not pass WebSocket upgrades", async () => {
    // Forwards plain HTTP only, like nginx without the Upgrade/Connection headers.
    let target = "";
    const proxy = createHttpServer((req, res) => {
      fetch(target + req.url, { method: req.method, headers: { origin: req.headers.origin ?? "" } }).then(
        async (answer) => {
          res.writeHead(answer.status, {
            "content-type": answer.headers.get("content-type") ?? "text/plain",
          });
          res.end(Buffer.from(await answer.arrayBuffer()));
        },
        () => res.writeHead(502).end(),
      );
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const server = await startServer({ env: { PUBLIC_URL: proxyUrl } });
    target = server.url;
    try {
      const run = await runAdmin(
        { DATABASE_URL: server.databaseUrl, DATA_DIR: tempDir("data"), PUBLIC_URL: proxyUrl },
        ["doctor"],
      );
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(
        /^failed +proxy +WebSocket upgrade through .* failed: answered \d+ instead of 101/m,
      );
      expect(run.stdout).toContain("proxy_set_header Upgrade");
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
      await server.close();
    }
  });

  it("fails on a bad configuration with the variable named", async () => {
    const run = await runAdmin({ DATA_DIR: tempDir("data"), PORT: "not-a-port" }, ["doctor"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^failed +config .*PORT/m);
  });
});
