import { mkdtempSync, rmSync } from "node:fs";
import { connect as tcpConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCode, eventually } from "./support/client.js";
import { type ServerProcess, startServerProcess } from "./support/process.js";
import { expectErrorShape, expectSecurityHeaders, rawHttp } from "./support/raw-http.js";
import { startServer, type TestServer } from "./support/server.js";

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
