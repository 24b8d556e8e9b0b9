import { request as httpRequest, type IncomingMessage } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeAllSockets, connect, signUp } from "./support/client.js";
import { startServer, type TestServer } from "./support/server.js";

const LIMIT = 3;
/** Over the limit, an IP is told `rate_limited` through Socket.IO this many times (handshake-gate.ts). */
const TOLD = 10;

function handshake(url: string, cookie: string): Promise<string> {
  const socket = connect(url, cookie);
  return new Promise((resolve) => {
    socket.once("connect", () => resolve("connected"));
    socket.once("connect_error", (error) => resolve(error.message));
  });
}

/** A bare WebSocket handshake request: the answer's status, headers and body, or 101. */
function rawUpgrade(
  url: string,
  path: string,
  cookie?: string,
): Promise<{ status: number; headers: IncomingMessage["headers"]; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, {
      headers: {
        ...(cookie ? { cookie } : {}),
        connection: "Upgrade",
        upgrade: "websocket",
        "sec-websocket-version": "13",
        "sec-websocket-key": Buffer.from("0123456789abcdef").toString("base64"),
      },
    });
    req.on("upgrade", (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode ?? 0, headers: response.headers, body: "" });
    });
    req.on("response", (response) => {
      let body = "";
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      );
      response.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("handshake floods", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMIT_HANDSHAKES_PER_MINUTE: String(LIMIT) } });
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  it("are answered 429 rate_limited before Socket.IO once an IP is past being told, and nothing else is", async () => {
    const alice = await signUp(server.url, "alice");
    const outcomes: string[] = [];
    for (let i = 0; i < LIMIT + TOLD; i++) outcomes.push(await handshake(server.url, alice.cookie));
    expect(outcomes.slice(0, LIMIT)).toEqual(Array(LIMIT).fill("connected"));
    expect(new Set(outcomes.slice(LIMIT))).toEqual(new Set(["rate_limited"]));

    // Past that, WebSocket and polling handshakes are refused at the door, in the protocol's shape.
    await expectRefusedAtTheDoor(server.url);

    // A request of an existing Engine.IO session is not a handshake; the rest of the API still answers.
    const withSid = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=nope`);
    expect(withSid.status).toBe(400);
    expect(((await withSid.json()) as { error: { code: string } }).error.code).toBe("invalid_input");
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe("handshake bursts", () => {
  const BURST = 4;
  /** The bucket refills at the minute's rate: one handshake every 250 ms. */
  const PER_MINUTE = 240;
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      env: {
        RATE_LIMIT_HANDSHAKES_PER_MINUTE: String(PER_MINUTE),
        RATE_LIMIT_HANDSHAKE_BURST: String(BURST),
      },
    });
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  it("accept RATE_LIMIT_HANDSHAKE_BURST at once from one IP, refuse the rest rate_limited, and accept more as the bucket refills", async () => {
    const alice = await signUp(server.url, "alice");
    const outcomes = await Promise.all(
      Array.from({ length: BURST + 6 }, () => handshake(server.url, alice.cookie)),
    );
    expect(outcomes.filter((o) => o === "connected")).toHaveLength(BURST);
    expect(new Set(outcomes.filter((o) => o !== "connected"))).toEqual(new Set(["rate_limited"]));
    // Well within the minute's 240: a client that backs off and retries gets in.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await handshake(server.url, alice.cookie)).toBe("connected");
  });
});

describe("a flooder that reconnects", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMIT_SOCKET_EVENTS_PER_10S: "10" } });
  });
  afterAll(() => server?.close());
  afterEach(() => closeAllSockets());

  it("is refused rate_limited for the rest of the flood window once dropped, and only that user is", async () => {
    const alice = await signUp(server.url, "alice");
    const bob = await signUp(server.url, "bob");
    const flooder = connect(server.url, alice.cookie);
    await new Promise<void>((resolve) => flooder.once("connect", () => resolve()));
    const dropped = new Promise<string>((resolve) => flooder.once("disconnect", (reason) => resolve(reason)));
    for (let i = 0; i < 40; i++)
      flooder.emit("message:send", { chatId: "nope", body: `f${i}`, clientId: `f${i}` }, () => {});
    expect(await dropped).toBe("io server disconnect");

    // The session it flooded with is refused at the door, before Engine.IO and any session lookup:
    // 429 in the protocol's shape, WebSocket upgrades and polling opens alike.
    await expectRefusedAtTheDoor(server.url, alice.cookie);

    // Another session of the same user is looked up, and told through Socket.IO.
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: alice.email, password: alice.password }),
    });
    const otherSession = /glasschat_session=[^;]+/.exec(login.headers.get("set-cookie") ?? "")?.[0] ?? "";
    expect(otherSession).not.toBe("");
    expect(await handshake(server.url, otherSession)).toBe("rate_limited");
    expect(await handshake(server.url, bob.cookie)).toBe("connected");
  });
});

/** A WebSocket upgrade and a polling open both answered 429 rate_limited in the protocol's shape. */
async function expectRefusedAtTheDoor(url: string, cookie?: string) {
  const upgrade = await rawUpgrade(url, "/socket.io/?EIO=4&transport=websocket", cookie);
  expect(upgrade.status).toBe(429);
  expect(JSON.parse(upgrade.body).error.code).toBe("rate_limited");
  expect(Number(upgrade.headers["retry-after"])).toBeGreaterThan(0);
  expect(upgrade.headers["x-content-type-options"]).toBe("nosniff");
  const polling = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, {
    headers: cookie ? { cookie } : {},
  });
  expect(polling.status).toBe(429);
  expect(((await polling.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
}
