import { mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { connect as tcpConnect } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/server/config.js";
import { createOriginPolicy, type OriginPolicyOptions } from "../src/server/origin.js";
import { closeAllSockets, connect, errorCode, eventually, request, signUp } from "./support/client.js";
import { type ServerProcess, startServerProcess } from "./support/process.js";
import { startServer, type TestServer } from "./support/server.js";

interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends bytes exactly as given (what fetch refuses to send) and reads the answer until the server closes. */
function rawHttp(baseUrl: string, bytes: string): Promise<RawReply> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(Number(port), hostname);
    let text = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within 5 s: ${JSON.stringify(text)}`));
    }, 5000);
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      text += chunk;
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      const [head = "", body = ""] = text.split("\r\n\r\n", 2);
      const [statusLine = "", ...lines] = head.split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(":");
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine.split(" ")[1]), headers, body });
    });
    socket.write(bytes);
  });
}

/** One request with headers fetch will not set (Host), over node:http. */
function withHeaders(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<RawReply> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, body }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

const headersOf = (headers: Headers | Record<string, string>) =>
  headers instanceof Headers ? Object.fromEntries(headers.entries()) : headers;

function expectSecurityHeaders(headers: Headers | Record<string, string>): void {
  const h = headersOf(headers);
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["x-frame-options"]).toBe("DENY");
  expect(h["referrer-policy"]).toBe("no-referrer");
  expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
}

/** The protocol's error shape, with `code`, and nothing of what the client sent. */
function expectErrorShape(body: string, code: string, mustNotEcho: string[] = []): void {
  const parsed = JSON.parse(body) as { error: { code: string; message: string } };
  expect(Object.keys(parsed)).toEqual(["error"]);
  expect(parsed.error.code).toBe(code);
  expect(typeof parsed.error.message).toBe("string");
  for (const echoed of mustNotEcho) expect(body).not.toContain(echoed);
}

describe("answers the framework makes itself", () => {
  let server: TestServer;
  let host: string;
  beforeAll(async () => {
    server = await startServer();
    host = new URL(server.url).host;
  });
  afterAll(() => server?.close());

  it("answers a 5,000-character chat id with 414 uri_too_long, without echoing the path", async () => {
    const id = "x".repeat(5000);
    const reply = await fetch(`${server.url}/api/chats/${id}/messages`);
    expect(reply.status).toBe(414);
    expectErrorShape(await reply.text(), "uri_too_long", ["xxxxxxxxxx", "FST_"]);
    expectSecurityHeaders(reply.headers);
  });

  it("answers an undecodable URL with 400 invalid_input, without echoing it", async () => {
    const reply = await fetch(`${server.url}/api/chats/%ff/messages%3Cscript%3E`);
    expect(reply.status).toBe(400);
    expectErrorShape(await reply.text(), "invalid_input", ["script", "%ff", "FST_"]);
    expectSecurityHeaders(reply.headers);
  });

  it("answers an unknown HTTP method with 400 invalid_input and closes", async () => {
    const reply = await rawHttp(server.url, `FOO /api/me HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    expect(reply.status).toBe(400);
    expectErrorShape(reply.body, "invalid_input", ["FOO", "Client Error"]);
    expectSecurityHeaders(reply.headers);
    expect(reply.headers["content-type"]).toMatch(/^application\/json/);
  });

  it("answers CONNECT with 400 invalid_input instead of dropping the connection", async () => {
    const reply = await rawHttp(server.url, `CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n`);
    expect(reply.status).toBe(400);
    expectErrorShape(reply.body, "invalid_input", ["22"]);
    expectSecurityHeaders(reply.headers);
  });

  it("answers a malformed chunked body with 400 invalid_input", async () => {
    const reply = await rawHttp(
      server.url,
      `POST /api/auth/login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n` +
        "Transfer-Encoding: chunked\r\n\r\nzz-not-a-size\r\n{}\r\n0\r\n\r\n",
    );
    expect(reply.status).toBe(400);
    expectErrorShape(reply.body, "invalid_input", ["zz-not-a-size", "Client Error"]);
    expectSecurityHeaders(reply.headers);
  });

  it("answers a 20 KB cookie with 431 headers_too_large", async () => {
    const cookie = `glasschat_session=${"c".repeat(20_000)}`;
    const reply = await fetch(`${server.url}/api/me`, { headers: { cookie } });
    expect(reply.status).toBe(431);
    expectErrorShape(await reply.text(), "headers_too_large", ["cccccccccc"]);
    expectSecurityHeaders(reply.headers);
  });

  it("answers unknown routes with 404 not_found and the security headers", async () => {
    const reply = await fetch(`${server.url}/api/nope%3Cb%3E`, { method: "DELETE" });
    expect(reply.status).toBe(404);
    expectErrorShape(await reply.text(), "not_found", ["nope", "<b>"]);
    expectSecurityHeaders(reply.headers);
  });

  it("sends nosniff (and the other headers) with Socket.IO's polling and error answers", async () => {
    const handshake = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
    expect(handshake.status).toBe(200);
    expectSecurityHeaders(handshake.headers);
    const refused = await fetch(`${server.url}/socket.io/?EIO=4&transport=carrier-pigeon`);
    expect(refused.status).toBe(400);
    expectSecurityHeaders(refused.headers);
    expectErrorShape(await refused.text(), "invalid_input", ["carrier-pigeon"]);
    const unknownSession = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=nope`);
    expect(unknownSession.status).toBe(400);
    expectErrorShape(await unknownSession.text(), "invalid_input", ["nope"]);
  });

  it("answers a refused WebSocket upgrade in the protocol's shape with the security headers", async () => {
    const { host } = new URL(server.url);
    const upgrade = (origin: string) =>
      rawHttp(
        server.url,
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n" +
          `Host: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
          `Origin: ${origin}\r\n\r\n`,
      );
    const foreign = await upgrade("http://evil.example");
    expect(foreign.status).toBe(403);
    expect(foreign.headers["content-type"]).toContain("application/json");
    expect(foreign.headers["x-content-type-options"]).toBe("nosniff");
    expectErrorShape(foreign.body, "forbidden_origin", ["evil.example"]);
  });
});

describe("a server that is closing", () => {
  it("answers a request that arrives on an open connection with 503 unavailable in the protocol's shape", async () => {
    const server = await startServer();
    try {
      const { hostname, port } = new URL(server.url);
      const socket = tcpConnect(Number(port), hostname);
      socket.setEncoding("utf8");
      let text = "";
      socket.on("data", (chunk: string) => {
        text += chunk;
      });
      await new Promise((resolve) => socket.once("connect", resolve));
      // The request line is in; the rest comes once Fastify has begun to close.
      socket.write(`GET /api/me HTTP/1.1\r\nHost: ${hostname}:${port}\r\n`);
      const closed = server.app.http.close();
      await eventually(() => expect(server.app.http.server.listening).toBe(false));
      socket.write("\r\n");
      await eventually(() => expect(text).toContain("}"));
      socket.destroy();
      await closed;
      const [head = "", body = ""] = text.split("\r\n\r\n");
      expect(head).toMatch(/^HTTP\/1\.1 503 /);
      expect(head.toLowerCase()).toContain("x-content-type-options: nosniff");
      expectErrorShape(body, "unavailable", ["Service Unavailable"]);
    } finally {
      await server.close().catch(() => {});
    }
  });
});

// Its own process: a client in the server's process reads the answer too promptly to meet the reset.
describe("a body over the limit", () => {
  let server: ServerProcess;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "glasschat-413-"));
    server = await startServerProcess({ DATA_DIR: dataDir });
  });
  afterAll(async () => {
    server?.child.kill("SIGKILL");
    await server?.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** What Node's fetch got: the status, or the network error's code (EPIPE, ECONNRESET). */
  const outcome = (init: RequestInit) =>
    fetch(`${server.url}/api/auth/login`, init).then(
      async (reply) =>
        `${reply.status} ${errorCode({ status: reply.status, body: await reply.json(), headers: reply.headers })}`,
      (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? error.message,
    );

  it.each([2, 6])("lets Node's fetch read the 413 for a %i MiB JSON body, every time", async (mib) => {
    const body = JSON.stringify({ email: "a@example.com", password: "p".repeat(mib * 1024 * 1024) });
    const seen: string[] = [];
    for (let round = 0; round < 8; round++) {
      const init = { method: "POST", headers: { "content-type": "application/json" }, body };
      seen.push(...(await Promise.all([1, 2, 3, 4].map(() => outcome(init)))));
    }
    expect(new Set(seen)).toEqual(new Set(["413 payload_too_large"]));
  });

  it("lets Node's fetch read the 413 for a 4 MiB chunked body without Content-Length", async () => {
    const chunk = new TextEncoder().encode(`"${"p".repeat(64 * 1024)}",`);
    const streamed = () => {
      let sent = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ >= 64) controller.close();
          else controller.enqueue(chunk);
        },
      });
    };
    const seen: string[] = [];
    for (let round = 0; round < 4; round++) {
      seen.push(
        ...(await Promise.all(
          [1, 2, 3, 4].map(() =>
            outcome({
              method: "POST",
              headers: { "content-type": "application/json" },
              body: streamed(),
              duplex: "half",
            } as RequestInit),
          ),
        )),
      );
    }
    expect(new Set(seen)).toEqual(new Set(["413 payload_too_large"]));
  });
});

describe("origins and host names", () => {
  let server: TestServer;
  let port: string;
  beforeAll(async () => {
    server = await startServer({ env: { ALLOWED_HOSTS: "chat.internal" } });
    port = new URL(server.url).port;
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  it("refuses a Host that is not one of ours (DNS rebinding) with 421 unknown_host, on every method", async () => {
    for (const method of ["GET", "POST"]) {
      const reply = await withHeaders(server.url, method, "/api/me", {
        host: `evil.example:${port}`,
        origin: `http://evil.example:${port}`,
      });
      expect(reply.status, method).toBe(421);
      expectErrorShape(reply.body, "unknown_host", ["evil"]);
      expectSecurityHeaders(reply.headers);
    }
  });

  it("accepts loopback names and ALLOWED_HOSTS with their own origin", async () => {
    for (const name of ["localhost", "127.0.0.1", "chat.internal"]) {
      const reply = await withHeaders(server.url, "POST", "/api/auth/logout", {
        host: `${name}:${port}`,
        origin: `http://${name}:${port}`,
      });
      expect(reply.status, name).toBe(204);
    }
  });

  it("compares scheme, host and port exactly: https, another port or another allowed name is foreign", async () => {
    const user = await signUp(server.url, "scheme");
    for (const origin of [
      `https://127.0.0.1:${port}`,
      `http://127.0.0.1:${Number(port) + 1}`,
      `http://localhost:${port}`,
      "null",
    ]) {
      const reply = await request(server.url, "POST", "/api/chats", {
        body: { email: "x@example.com" },
        cookie: user.cookie,
        headers: { origin },
      });
      expect(reply.status, origin).toBe(403);
      expect(errorCode(reply)).toBe("forbidden_origin");
    }
  });

  it("refuses Socket.IO handshakes from a foreign host name or scheme", async () => {
    const rebinding = await withHeaders(server.url, "GET", "/socket.io/?EIO=4&transport=polling", {
      host: `evil.example:${port}`,
      origin: `http://evil.example:${port}`,
    });
    expect(rebinding.status).toBe(421);
    expect(rebinding.body).toContain('"unknown_host"');
    const user = await signUp(server.url, "handshake");
    const wrongScheme = connect(server.url, user.cookie, { origin: `https://127.0.0.1:${port}` });
    const error = await new Promise<Error>((resolve) => wrongScheme.once("connect_error", resolve));
    expect(error).toBeInstanceOf(Error);
    expect(wrongScheme.connected).toBe(false);
    const good = connect(server.url, user.cookie, { origin: server.url });
    await eventually(() => expect(good.connected).toBe(true));
  });

  it("allows connections and scripts from this origin only, and no <base>", async () => {
    const reply = await fetch(`${server.url}/`, { headers: { accept: "text/html" } });
    const csp = reply.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("connect-src 'self';");
    expect(csp).not.toMatch(/\bwss?:/);
    expect(csp).toContain("base-uri 'none'");
  });

  it("refuses a malformed ALLOWED_HOSTS or a short METRICS_TOKEN at start", () => {
    expect(() => loadConfig({ ALLOWED_HOSTS: "chat.example.org:443" })).toThrow(/ALLOWED_HOSTS/);
    expect(() => loadConfig({ METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN/);
  });
});

describe("the origin policy", () => {
  const base: OriginPolicyOptions = {
    publicOrigin: undefined,
    allowedHosts: ["chat.lan"],
    listenHost: "192.0.2.10",
    trustProxy: false,
  };
  const fake = (headers: Record<string, string>, encrypted = false) =>
    ({ headers, socket: { encrypted } }) as unknown as IncomingMessage;

  it.each([
    // [case, options, headers, TLS, host allowed, origin allowed]
    ["same origin", {}, { host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" }, false, true, true],
    ["no Origin (curl)", {}, { host: "127.0.0.1:3000" }, false, true, true],
    [
      "https Origin, plain server",
      {},
      { host: "127.0.0.1:3000", origin: "https://127.0.0.1:3000" },
      false,
      true,
      false,
    ],
    [
      "http Origin, TLS server",
      {},
      { host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" },
      true,
      true,
      false,
    ],
    ["default port", {}, { host: "localhost:80", origin: "http://localhost" }, false, true, true],
    ["IPv6 loopback", {}, { host: "[::1]:3000", origin: "http://[::1]:3000" }, false, true, true],
    [
      "*.localhost",
      {},
      { host: "app.localhost:3000", origin: "http://app.localhost:3000" },
      false,
      true,
      true,
    ],
    [
      "rebinding name",
      {},
      { host: "evil.example:3000", origin: "http://evil.example:3000" },
      false,
      false,
      false,
    ],
    ["user info in Host", {}, { host: "127.0.0.1@evil.example" }, false, false, true],
    ["listening address", {}, { host: "192.0.2.10:3000" }, false, true, true],
    ["other address", {}, { host: "192.0.2.11:3000" }, false, false, true],
    ["ALLOWED_HOSTS", {}, { host: "CHAT.lan:3000", origin: "http://chat.lan:3000" }, false, true, true],
    ["ALLOWED_HOSTS IPv6", { allowedHosts: ["[fd00::5]"] }, { host: "[fd00::5]:3000" }, false, true, true],
    ["cross-site fetch", {}, { host: "127.0.0.1:3000", "sec-fetch-site": "cross-site" }, false, true, false],
    ["Origin null", {}, { host: "127.0.0.1:3000", origin: "null" }, false, true, false],
    [
      "proxy says https",
      { trustProxy: true },
      { host: "127.0.0.1:8443", origin: "https://127.0.0.1:8443", "x-forwarded-proto": "https" },
      false,
      true,
      true,
    ],
    [
      "untrusted proxy header",
      {},
      { host: "127.0.0.1:8443", origin: "https://127.0.0.1:8443", "x-forwarded-proto": "https" },
      false,
      true,
      false,
    ],
    [
      "PUBLIC_URL",
      { publicOrigin: "https://chat.example.org" },
      { host: "chat.example.org", origin: "https://chat.example.org" },
      false,
      true,
      true,
    ],
    [
      "PUBLIC_URL, http Origin",
      { publicOrigin: "https://chat.example.org" },
      { host: "chat.example.org", origin: "http://chat.example.org" },
      false,
      true,
      false,
    ],
  ] as const)("%s", (_case, options, headers, encrypted, hostAllowed, originAllowed) => {
    const policy = createOriginPolicy({ ...base, ...(options as Partial<OriginPolicyOptions>) });
    const request = fake(headers, encrypted);
    expect(policy.hostAllowed(request)).toBe(hostAllowed);
    expect(policy.originAllowed(request)).toBe(originAllowed);
  });

  it("answers for every address of the machine when listening on 0.0.0.0", () => {
    const policy = createOriginPolicy({ ...base, listenHost: "0.0.0.0" });
    const addresses = Object.values(networkInterfaces()).flat();
    for (const info of addresses) {
      if (!info) continue;
      const host = info.family === "IPv6" ? `[${info.address}]:3000` : `${info.address}:3000`;
      if (!info.address.includes("%")) expect(policy.hostAllowed(fake({ host })), host).toBe(true);
    }
  });
});

describe("metrics and static files", () => {
  let server: TestServer;
  let withToken: TestServer;
  const token = "a-metrics-token-of-some-length";
  beforeAll(async () => {
    [server, withToken] = await Promise.all([startServer(), startServer({ env: { METRICS_TOKEN: token } })]);
  });
  afterAll(() => Promise.all([server?.close(), withToken?.close()]));

  it("serves /metrics to a direct loopback connection only, not through a proxy", async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
    const proxied = await fetch(`${server.url}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9" } });
    expect(proxied.status).toBe(404);
    expectErrorShape(await proxied.text(), "not_found");
  });

  it("with METRICS_TOKEN, serves /metrics only for the bearer token", async () => {
    const none = await fetch(`${withToken.url}/metrics`);
    expect(none.status).toBe(401);
    expectErrorShape(await none.text(), "unauthorized", [token]);
    const wrong = await fetch(`${withToken.url}/metrics`, { headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${withToken.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain("glasschat_connected_sockets");
  });

  it("answers missing files with 404 not_found, never the app's HTML", async () => {
    for (const path of ["/assets/nope.js", "/favicon.ico", "/assets/page", "/robots.txt"]) {
      const reply = await fetch(server.url + path, { headers: { accept: "text/html,*/*" } });
      expect(reply.status, path).toBe(404);
      expect(reply.headers.get("content-type"), path).toMatch(/^application\/json/);
      expectErrorShape(await reply.text(), "not_found");
    }
    const script = await fetch(`${server.url}/chats/c123`, { headers: { accept: "*/*" } });
    expect(script.status).toBe(404);
  });

  it("serves the app to a browser navigating to a client-side route", async () => {
    for (const path of ["/", "/chats/c123", "/insights"]) {
      const reply = await fetch(server.url + path, {
        headers: { accept: "text/html,application/xhtml+xml" },
      });
      expect(reply.status, path).toBe(200);
      expect(reply.headers.get("content-type")).toMatch(/^text\/html/);
      expectSecurityHeaders(reply.headers);
    }
  });
});
