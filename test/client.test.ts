import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ApiError, createClient, type GlasschatClient, type Message } from "../src/client/index.js";
import { closeAllSockets, connect, eventually } from "./support/client.js";
import { DIALECTS } from "./support/databases.js";
import { startServerOn } from "./support/fixed-server.js";
import { freePort } from "./support/process.js";
import { startServer, type TestServer } from "./support/server.js";
import { startTcpProxy } from "./support/tcp-proxy.js";

const PASSWORD = "correct horse battery";
const clients: GlasschatClient[] = [];

function client(url: string, options: Parameters<typeof createClient>[0] = {}): GlasschatClient {
  const c = createClient({ url, reconnectDelayMs: 100, ...options });
  clients.push(c);
  return c;
}

async function registered(url: string, name: string) {
  const suffix = randomBytes(4).toString("hex");
  const email = `${name}-${suffix}@example.com`;
  const c = client(url);
  await c.register({ email, username: `${name}_${suffix}`, password: PASSWORD });
  return { client: c, email };
}

function received(c: GlasschatClient): Message[] {
  const seen: Message[] = [];
  c.on("message:new", (m) => seen.push(m));
  return seen;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

describe.each(DIALECTS)("client on %s", (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ dialect });
  });
  afterAll(async () => server?.close());

  it("logs in with the session cookie it keeps itself, and logs out", async () => {
    const { client: first, email } = await registered(server.url, "ann");
    await first.logout();
    await expect(first.me()).rejects.toMatchObject({ code: "unauthorized", status: 401 });

    const c = client(server.url);
    const user = await c.login({ email: ` ${email.toUpperCase()} `, password: PASSWORD });
    expect(user.email).toBe(email);
    expect((await c.me()).id).toBe(user.id);
    await c.logout();
    await expect(c.me()).rejects.toBeInstanceOf(ApiError);
  });

  it("sends with an acknowledgement and the other member receives it once", async () => {
    const ann = await registered(server.url, "ann");
    const ben = await registered(server.url, "ben");
    const chat = await ann.client.startChat(ben.email);
    await Promise.all([ann.client.connect(), ben.client.connect()]);
    const atBen = received(ben.client);
    const atAnn = received(ann.client);

    const message = await ann.client.send(chat.id, "hello ben");
    expect(message).toMatchObject({ chatId: chat.id, seq: 1, body: "hello ben" });
    await eventually(() => expect(atBen.map((m) => m.id)).toEqual([message.id]));
    expect(atAnn).toEqual([]);
  });

  it("stores one message when a send is retried with the same clientId", async () => {
    const ann = await registered(server.url, "ann");
    const ben = await registered(server.url, "ben");
    const chat = await ann.client.startChat(ben.email);
    await ben.client.connect();
    const atBen = received(ben.client);

    const first = await ann.client.send(chat.id, "only once", { clientId: "retry-1" });
    const again = await ann.client.send(chat.id, "only once", { clientId: "retry-1" });
    expect(again.id).toBe(first.id);
    const page = await ann.client.history(chat.id);
    expect(page.messages.map((m) => m.body)).toEqual(["only once"]);
    await eventually(() => expect(atBen).toHaveLength(1));
  });

  it("answers with the catalogue's error codes as ApiError", async () => {
    const ann = await registered(server.url, "ann");
    const stranger = client(server.url);
    await expect(stranger.me()).rejects.toMatchObject({ code: "unauthorized" });
    await expect(stranger.login({ email: ann.email, password: "wrong password" })).rejects.toMatchObject({
      code: "invalid_credentials",
      status: 401,
    });
    await expect(ann.client.startChat(ann.email)).rejects.toMatchObject({ code: "invalid_input" });
    await expect(ann.client.startChat("nobody-here@example.com")).rejects.toMatchObject({
      code: "user_not_found",
      status: 404,
    });
    await expect(ann.client.history("c-no-such-chat")).rejects.toMatchObject({ code: "not_found" });
    await expect(ann.client.send("c-no-such-chat", "hi")).rejects.toMatchObject({ code: "not_found" });
    const local = await ann.client.send("c-any", "   ").catch((e: unknown) => e);
    expect(local).toBeInstanceOf(ApiError);
    expect(local).toMatchObject({ code: "invalid_input", fields: { body: expect.any(String) } });
  });
});

describe("client across a server restart", () => {
  it("comes back after the server stops and starts again on the same data, and catches up", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "glasschat-restart-"));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let app = await startServerOn(dataDir, port);
    try {
      const ann = await registered(url, "ann");
      const ben = await registered(url, "ben");
      const chat = await ann.client.startChat(ben.email);
      await ben.client.connect();
      const atBen = received(ben.client);
      const reconnects: boolean[] = [];
      ben.client.on("connected", ({ reconnect }) => reconnects.push(reconnect));
      await ann.client.send(chat.id, "before the restart");
      await eventually(() => expect(atBen).toHaveLength(1));

      await app.close(); // a graceful stop: the server ends every socket itself
      app = await startServerOn(dataDir, port);
      // Sent through the new server before ben is necessarily back: he gets it live or by catch-up.
      await ann.client.send(chat.id, "after the restart");
      await eventually(() => expect(reconnects).toContain(true), 20_000);
      await eventually(() =>
        expect(atBen.map((m) => m.body)).toEqual(["before the restart", "after the restart"]),
      );
      const again = await ann.client.send(chat.id, "and live again");
      await eventually(() => expect(atBen.at(-1)?.id).toBe(again.id));
      expect(atBen.map((m) => m.seq)).toEqual([1, 2, 3]);
    } finally {
      await Promise.all(clients.splice(0).map((c) => c.close()));
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("client reconnects", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => server?.close());

  it("delivers what was missed during an outage after reconnecting, in order and once", async () => {
    const proxy = await startTcpProxy(server.url);
    try {
      const ann = await registered(server.url, "ann");
      const ben = await registered(proxy.url, "ben");
      const chat = await ann.client.startChat(ben.email);
      const before = await ann.client.send(chat.id, "before");
      await ben.client.connect();
      const atBen = received(ben.client);
      const reconnects: boolean[] = [];
      ben.client.on("connected", ({ reconnect }) => reconnects.push(reconnect));
      const live = await ann.client.send(chat.id, "live");
      await eventually(() => expect(atBen.map((m) => m.body)).toEqual(["live"]));

      await proxy.pause();
      await eventually(() => expect(ben.client.connected).toBe(false));
      for (const body of ["missed 1", "missed 2", "missed 3"]) await ann.client.send(chat.id, body);
      await proxy.resume();
      await eventually(() => expect(reconnects).toContain(true), 15_000);
      expect(atBen.map((m) => m.body)).toEqual(["live", "missed 1", "missed 2", "missed 3"]);
      const after = await ann.client.send(chat.id, "after");

      await eventually(() => expect(atBen.at(-1)?.id).toBe(after.id));
      expect(atBen.map((m) => m.body)).toEqual(["live", "missed 1", "missed 2", "missed 3", "after"]);
      expect(atBen.map((m) => m.seq)).toEqual([live.seq, 3, 4, 5, 6]);
      expect(before.seq).toBe(1);
    } finally {
      await proxy.close();
    }
  });

  it("retries a send across a dropped connection and the server keeps it once", async () => {
    const ann = await registered(server.url, "ann");
    const ben = await registered(server.url, "ben");
    const chat = await ann.client.startChat(ben.email);
    await Promise.all([ann.client.connect(), ben.client.connect()]);
    const atBen = received(ben.client);

    ann.client.socket?.io.engine.close();
    const message = await ann.client.send(chat.id, "through the drop");
    await eventually(() => expect(atBen.map((m) => m.id)).toEqual([message.id]));
    const page = await ben.client.history(chat.id);
    expect(page.messages.map((m) => m.body)).toEqual(["through the drop"]);
  });

  it("announces a chat started while it was away, with its messages", async () => {
    const proxy = await startTcpProxy(server.url);
    try {
      const ann = await registered(server.url, "ann");
      const ben = await registered(proxy.url, "ben");
      await ben.client.connect();
      const atBen = received(ben.client);
      const newChats: string[] = [];
      ben.client.on("chat:new", (chat) => newChats.push(chat.id));

      await proxy.pause();
      await eventually(() => expect(ben.client.connected).toBe(false));
      const chat = await ann.client.startChat(ben.email);
      await ann.client.send(chat.id, "while you were out");
      await proxy.resume();

      await eventually(() => expect(atBen.map((m) => m.body)).toEqual(["while you were out"]), 15_000);
      expect(newChats).toEqual([chat.id]);
    } finally {
      await proxy.close();
    }
  });

  it("retries a send whose acknowledgement was lost with the same clientId: one message", async () => {
    const proxy = await startTcpProxy(server.url);
    try {
      const ann = await registered(server.url, "ann");
      const ben = await registered(server.url, "ben");
      const chat = await ann.client.startChat(ben.email);
      const lossy = client(proxy.url, { sendTimeoutMs: 1000, sendAttempts: 10, transports: ["websocket"] });
      await lossy.login({ email: ann.email, password: PASSWORD });
      await lossy.connect();

      proxy.blackhole("down");
      const sending = lossy.send(chat.id, "stored, ack lost");
      // The server stored it; its acknowledgement went nowhere.
      await eventually(async () => {
        const page = await ben.client.history(chat.id);
        expect(page.messages.map((m) => m.body)).toEqual(["stored, ack lost"]);
      });
      await proxy.resume();
      const message = await sending;

      const page = await ben.client.history(chat.id);
      expect(page.messages.map((m) => m.id)).toEqual([message.id]);
    } finally {
      await proxy.close();
    }
  });

  it("rejects a send that waits for its acknowledgement as soon as the client closes", async () => {
    const proxy = await startTcpProxy(server.url);
    try {
      const ann = await registered(server.url, "ann");
      const ben = await registered(server.url, "ben");
      const chat = await ann.client.startChat(ben.email);
      const cut = client(proxy.url, { sendTimeoutMs: 60_000 });
      await cut.login({ email: ann.email, password: PASSWORD });
      await cut.connect();
      const outgoing: string[] = [];
      cut.socket?.onAnyOutgoing((event: string) => outgoing.push(event));
      proxy.blackhole();
      const pending = cut.send(chat.id, "never acknowledged").catch((e: unknown) => e);
      await eventually(() => expect(outgoing).toEqual(["message:send"]));
      await cut.close();
      expect(await pending).toMatchObject({ code: "network_error" });
    } finally {
      await proxy.close();
    }
  });

  it("stops for good on close: no reconnect, no events", async () => {
    const ann = await registered(server.url, "ann");
    await ann.client.connect();
    const socket = ann.client.socket;
    await ann.client.close();
    expect(socket?.connected).toBe(false);
    expect(socket?.active).toBe(false);
    await expect(ann.client.send("c-any", "hi")).rejects.toMatchObject({ code: "network_error" });
  });
});

describe("client refused at a reconnect", () => {
  let server: TestServer;
  beforeAll(async () => {
    // One handshake a second per IP, two at once.
    server = await startServer({
      env: { RATE_LIMIT_HANDSHAKES_PER_MINUTE: "60", RATE_LIMIT_HANDSHAKE_BURST: "2" },
    });
  });
  afterAll(async () => server?.close());
  afterEach(() => closeAllSockets());

  it("keeps retrying with backoff when the server refuses the handshake rate_limited, and gets back in", async () => {
    const ann = await registered(server.url, "ann");
    await ann.client.connect();
    const errors: string[] = [];
    ann.client.on("error", (error) => errors.push(error.message));
    const reconnects: boolean[] = [];
    ann.client.on("connected", ({ reconnect }) => reconnects.push(reconnect));
    // Others behind the same address use up the burst, as a whole NAT does after a restart.
    for (let i = 0; i < 2; i++) connect(server.url);
    await new Promise((resolve) => setTimeout(resolve, 100));
    ann.client.socket?.io.engine.close();
    await eventually(() => expect(errors.some((m) => m.includes("rate_limited"))).toBe(true), 5_000);
    await eventually(() => expect(reconnects).toEqual([true]), 10_000);
    expect(ann.client.connected).toBe(true);
  });
});
