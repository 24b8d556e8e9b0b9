import type { IncomingMessage } from "node:http";
import { networkInterfaces } from "node:os";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/server/config.js";
import { createOriginPolicy, type OriginPolicyOptions } from "../src/server/origin.js";
import { closeAllSockets, connect, errorCode, eventually, request, signUp } from "./support/client.js";
import { expectErrorShape, expectSecurityHeaders, withHeaders } from "./support/raw-http.js";
import { startServer, type TestServer } from "./support/server.js";

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
