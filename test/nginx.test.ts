import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { io } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type ClientSocket,
  clientId,
  closeAllSockets,
  eventually,
  nextEvent,
  pair,
  send,
} from "./support/client.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/databases.js";
import { freePort, type ServerProcess, startServerProcess } from "./support/process.js";

const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((path) => existsSync(path));
const redisUrl = process.env.TEST_REDIS_URL;
const ready = Boolean(NGINX && redisUrl && DIALECTS.includes("postgres"));
if (process.env.CI === "true" && !ready)
  throw new Error(
    "CI=true but nginx, TEST_REDIS_URL or TEST_DATABASE_URL is missing: the nginx test must run.",
  );
if (!ready)
  console.warn(
    "nginx test skipped: it needs nginx (apt-get install nginx), TEST_REDIS_URL and TEST_DATABASE_URL.",
  );

/** The first ```nginx block of docs/deploy.md: the configuration people are told to use. */
function documentedConfig(): string {
  const doc = readFileSync(new URL("../docs/deploy.md", import.meta.url), "utf8");
  const block = /```nginx\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error("docs/deploy.md has no ```nginx block");
  return block;
}

/** Replaces `from` (which must be there) with `to`: a doc change that breaks this fails loudly. */
function substitute(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`docs/deploy.md's nginx example no longer contains: ${from}`);
  return text.split(from).join(to);
}

describe.runIf(ready)("the documented nginx configuration in front of two nodes", () => {
  let database: TestDatabase;
  let dir: string;
  let nodes: ServerProcess[] = [];
  let nginx: ChildProcess | undefined;
  let https = "";
  let http = "";
  let nginxLog = "";

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    dir = mkdtempSync(join(tmpdir(), "glasschat-nginx-"));
    chmodSync(dir, 0o755);
    nodes = await Promise.all(
      ["1", "2"].map((n) =>
        startServerProcess({
          DATABASE_URL: database.url,
          REDIS_URL: redisUrl as string,
          SESSION_SECRET: "a-shared-secret-for-every-node-0123456789",
          DATA_DIR: join(dir, `data-${n}`),
          TRUST_PROXY: "on",
        }),
      ),
    );
    const [httpPort, httpsPort] = [await freePort(), await freePort()];
    https = `https://127.0.0.1:${httpsPort}`;
    http = `http://127.0.0.1:${httpPort}`;
    // A self-signed certificate stands in for the real one.
    const cert = join(dir, "cert.pem");
    const key = join(dir, "key.pem");
    const openssl = spawnSync("openssl", [
      ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"],
      ...["-keyout", key, "-out", cert],
    ]);
    if (openssl.status !== 0) throw new Error(`openssl failed: ${openssl.stderr}`);

    let site = documentedConfig();
    site = substitute(site, "server 127.0.0.1:3001;", `server ${new URL(nodes[0]?.url ?? "").host};`);
    site = substitute(site, "server 127.0.0.1:3002;", `server ${new URL(nodes[1]?.url ?? "").host};`);
    site = substitute(site, "listen 80;", `listen 127.0.0.1:${httpPort};`);
    site = substitute(site, "listen 443 ssl;", `listen 127.0.0.1:${httpsPort} ssl;`);
    site = substitute(site, "/etc/letsencrypt/live/chat.example.org/fullchain.pem", cert);
    site = substitute(site, "/etc/letsencrypt/live/chat.example.org/privkey.pem", key);
    const temp = join(dir, "temp");
    mkdirSync(temp, { mode: 0o777 });
    chmodSync(temp, 0o777);
    const conf = join(dir, "nginx.conf");
    writeFileSync(
      conf,
      `worker_processes 1;
error_log ${join(dir, "error.log")} warn;
pid ${join(dir, "nginx.pid")};
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${temp}/body;
  proxy_temp_path ${temp}/proxy;
  fastcgi_temp_path ${temp}/fastcgi;
  uwsgi_temp_path ${temp}/uwsgi;
  scgi_temp_path ${temp}/scgi;
${site}
}
`,
    );
    const check = spawnSync(NGINX as string, ["-t", "-p", dir, "-c", conf]);
    if (check.status !== 0)
      throw new Error(`nginx -t refused the documented configuration:\n${check.stderr}`);
    nginx = spawn(NGINX as string, ["-p", dir, "-c", conf, "-g", "daemon off;"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    nginx.stderr?.on("data", (chunk) => (nginxLog += chunk));
    // The certificate is self-signed: this test process alone trusts it.
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
    await eventually(async () => expect((await fetch(`${https}/healthz`)).status).toBe(200), 10_000);
  });
  afterAll(async () => {
    delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((resolve) => nginx?.once("exit", resolve));
      nginx.kill("SIGTERM");
      await exited;
    }
    for (const node of nodes) node.child.kill("SIGKILL");
    await Promise.all(nodes.map((n) => n.exited));
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => closeAllSockets());

  const socketThroughNginx = (cookie: string, transports: ("websocket" | "polling")[]) =>
    new Promise<ClientSocket>((resolve, reject) => {
      const socket: ClientSocket = io(https, {
        transports,
        upgrade: false,
        reconnection: false,
        forceNew: true,
        rejectUnauthorized: false,
        extraHeaders: { cookie },
      });
      socket.once("connect", () => resolve(socket));
      socket.once("connect_error", (error) => reject(new Error(`${error.message}\n${nginxLog}`)));
    });

  it("redirects plain HTTP to HTTPS", async () => {
    const reply = await fetch(`${http}/`, { redirect: "manual" });
    expect(reply.status).toBe(301);
    expect(reply.headers.get("location")).toMatch(/^https:\/\//);
  });

  it("registers, starts a chat and delivers messages over WebSocket and long-polling through nginx", async () => {
    const { alice, bob, chatId } = await pair(https);
    const aliceSocket = await socketThroughNginx(alice.cookie, ["websocket"]);
    const bobSocket = await socketThroughNginx(bob.cookie, ["polling"]);
    try {
      const toBob = nextEvent(bobSocket, "message:new");
      expect((await send(aliceSocket, { chatId, body: "through nginx", clientId: clientId() })).ok).toBe(
        true,
      );
      expect((await toBob).body).toBe("through nginx");
      const toAlice = nextEvent(aliceSocket, "message:new");
      expect((await send(bobSocket, { chatId, body: "polling back", clientId: clientId() })).ok).toBe(true);
      expect((await toAlice).body).toBe("polling back");
      const history = await alice.api<{ messages: { body: string }[] }>(
        "GET",
        `/api/chats/${chatId}/messages`,
      );
      expect(history.body.messages.map((m) => m.body)).toEqual(["through nginx", "polling back"]);
    } finally {
      aliceSocket.disconnect();
      bobSocket.disconnect();
    }
  });

  it("takes the scheme from nginx: the page's own https Origin passes, the same host over http does not", async () => {
    const logout = (origin: string) =>
      fetch(`${https}/api/auth/logout`, { method: "POST", headers: { origin } });
    expect((await logout(https)).status).toBe(204);
    expect((await logout(https.replace("https:", "http:"))).status).toBe(403);
  });

  it("keeps /metrics off the public address", async () => {
    expect((await fetch(`${https}/metrics`)).status).toBe(404);
    expect((await fetch(`${nodes[0]?.url}/metrics`)).status).toBe(200);
  });
});
