import { connect } from "node:net";
import { Bystanders } from "../lib/bystanders.js";
import type { Category } from "../lib/category.js";
import type { Context } from "../lib/context.js";
import { RawEngine } from "../lib/engine.js";
import { raw } from "../lib/http.js";
import { deepJsonText, invalidUtf8Json, mutate, nastyValue } from "../lib/nasty.js";
import { startServer, type TortureServer } from "../lib/server.js";
import { type Account, signUp, startChat } from "../lib/users.js";
import { sleep } from "../lib/wait.js";

const HTTP_REQUESTS = 5000;
const FRAMES = 6000;

interface Tally {
  sent: number;
  fiveXx: number;
  resets: number;
}

export const input: Category = {
  name: "input",
  budgetMs: () => 150_000,
  async run(ctx, report) {
    // Rate limits off: the malformed requests must reach the parsers, not a 429.
    const server = await startServer(ctx.defer.bind(ctx), { limits: "relaxed" });
    report.value("limits", "relaxed");
    const a = await signUp(ctx, server.url, "fuzzer");
    const b = await signUp(ctx, server.url, "target");
    const chatId = await startChat(a, b);
    const bystanders = await Bystanders.start(ctx, server.url, 2);
    bystanders.run(200);
    await sleep(1000);
    const rssBefore = server.rssMb();

    // A crash is counted (unexpectedExits) and the server started again, so the run goes on.
    const watchdog = setInterval(() => {
      if (!server.alive && server.child) {
        report.note(`the server died: ${server.output().slice(-400)}`);
        server.child = undefined;
        void server.start().catch(() => {});
      }
    }, 200);
    ctx.defer(() => clearInterval(watchdog));

    const http: Tally = { sent: 0, fiveXx: 0, resets: 0 };
    await Promise.all(
      Array.from({ length: 8 }, () =>
        (async () => {
          while (http.sent < HTTP_REQUESTS) {
            http.sent++;
            const status = await fuzzRequest(ctx, server, a, chatId);
            if (status >= 500) {
              http.fiveXx++;
              report.note(`an HTTP request answered ${status}`);
            }
            if (status === 0) http.resets++;
          }
        })(),
      ),
    );
    const frames = await fuzzFrames(ctx, server, a, chatId, report);

    const lost = await bystanders.stop();
    const healthy = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(5000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (!healthy) report.fail("the server was not healthy after the fuzzing");
    report.value("http_requests", http.sent);
    report.value("frames", frames.sent);
    report.value("connections_closed_by_server", frames.closedByServer);
    report.value("http_resets", http.resets);
    report.zero("crashes", server.unexpectedExits);
    report.zero("5xx", http.fiveXx);
    report.zero("bystanders_disconnected", bystanders.disconnected);
    report.zero("bystander_messages_lost", lost);
    report.value("rss_growth_mb", Math.round(server.rssMb() - rssBefore));
  },
};

/** One generated request; resolves its status (0: the connection was reset or timed out). */
async function fuzzRequest(
  ctx: Context,
  server: TortureServer,
  who: Account,
  chatId: string,
): Promise<number> {
  const port = server.port;
  const cookie = ctx.int(3) ? who.cookie : `glasschat_session=${ctx.hex(20)}`;
  const json = { "content-type": "application/json", cookie, host: `127.0.0.1:${port}` };
  const kind = ctx.int(100);
  if (kind < 35) {
    const [path, valid] = ctx.pick([
      ["/api/auth/register", { email: "x@example.com", username: "xyz", password: "password1" }],
      ["/api/auth/login", { email: "x@example.com", password: "password1" }],
      ["/api/chats", { email: "x@example.com" }],
      [`/api/chats/${chatId}/clear`, { forEveryone: false }],
      [`/api/chats/${chatId}/read`, { seq: 1 }],
    ] as const);
    const body =
      ctx.int(15) === 0
        ? deepJsonText(ctx.pick([5000, 50_000]))
        : (JSON.stringify(mutate(ctx, valid)) ?? "null");
    return (
      await raw(port, { method: ctx.pick(["POST", "POST", "PUT", "PATCH"]), path, headers: json, body })
    ).status;
  }
  if (kind < 55) {
    const value = () => {
      const v = nastyValue(ctx);
      const text = (typeof v === "string" ? v : (JSON.stringify(v) ?? "")).slice(0, 3000);
      // A lone surrogate has no UTF-8 form: send the bytes a careless encoder would (CESU-8).
      const wellFormed = text.replace(/[\ud800-\udfff]/g, "");
      return wellFormed === text ? encodeURIComponent(text) : `${encodeURIComponent(wellFormed)}%ED%A0%80`;
    };
    const query = ctx.pick([
      `?limit=${value()}`,
      `?before=${value()}`,
      `?after=${value()}&limit=${value()}`,
      "?limit=1&limit=2",
      "?limit[]=1",
      "?__proto__[polluted]=1",
      "?constructor[prototype][polluted]=1",
      `?before=${chatId}-0000000001&after=${chatId}-0000000001`,
      `?after=${chatId}-99999999999999999999`,
      "?%ff=%fe",
      "?chatId=%00&from=2025-02-30&tz=Mars%2FOlympus",
    ]);
    const path = ctx.pick([`/api/chats/${chatId}/messages`, "/api/insights", "/api/chats", "/api/me"]);
    return (
      await raw(port, { method: "GET", path: path + query, headers: { cookie, host: `127.0.0.1:${port}` } })
    ).status;
  }
  if (kind < 70) {
    const path = ctx.pick([
      `/api/chats/${"c".repeat(5000)}/messages`,
      "/api/chats/%ff/messages%3Cscript%3E",
      "/api/%00",
      "//api//chats",
      "/api/chats/..%2f..%2fetc%2fpasswd/messages",
      "/api/chats/%2e%2e/clear",
      `/api/chats/${chatId}/messages/../../me`,
      "/socket.io/?EIO=9&transport=polling",
      "/socket.io/?EIO=4&transport=polling&sid=nope",
      "/socket.io/?EIO=4&transport=carrier-pigeon",
      "/assets/%2e%2e/%2e%2e/package.json",
      `/${"a".repeat(ctx.pick([100, 8000, 70000]))}`,
      "/api/chats/\u00e9/messages",
    ]);
    const method = ctx.pick(["GET", "POST", "DELETE", "PUT", "OPTIONS", "HEAD", "PATCH"]);
    return (
      await raw(port, {
        method,
        path,
        headers: json,
        body: method === "GET" || method === "HEAD" ? undefined : "{}",
      })
    ).status;
  }
  if (kind < 80) {
    const field = ctx.pick(["email", "password", "body", "username"]);
    const type = ctx.pick([
      "application/json",
      "application/json; charset=utf-16le",
      "application/json; charset=latin1",
      "text/plain",
      "application/x-www-form-urlencoded",
      "application/json, text/plain",
      "",
    ]);
    const body =
      ctx.int(2) === 0
        ? invalidUtf8Json(ctx, field)
        : Buffer.from(
            ctx.pick([
              "{",
              '{"email":',
              "[1,2",
              '{"a":1}}',
              "\ufeff{}",
              "nul\u0000l",
              '"\\ud800"',
              "1e99999",
            ]),
          );
    const headers: Record<string, string> = { cookie, host: `127.0.0.1:${port}` };
    if (type) headers["content-type"] = type;
    return (
      await raw(port, { method: "POST", path: ctx.pick(["/api/auth/login", "/api/chats"]), headers, body })
    ).status;
  }
  if (kind < 88) {
    const size = ctx.int(60) === 0 ? 2 * 1024 * 1024 : ctx.pick([60_000, 66_000, 200_000]);
    const body = JSON.stringify({ email: "x".repeat(size) });
    const headers: Record<string, string> = { ...json };
    if (ctx.int(4) === 0) headers.cookie = `glasschat_session=${"a".repeat(20_000)}`;
    if (ctx.int(4) === 0) for (let i = 0; i < 150; i++) headers[`x-h${i}`] = "v".repeat(100);
    return (await raw(port, { method: "POST", path: "/api/chats", headers, body })).status;
  }
  return rawRequest(port, ctx.pick(rawRequests(port, who.cookie)));
}

function rawRequests(port: number, cookie: string): string[] {
  const host = `Host: 127.0.0.1:${port}`;
  return [
    `FOO /api/me HTTP/1.1\r\n${host}\r\n\r\n`,
    `GET /api/me HTTP/1.1\r\n${host}\r\nBad Header\r\n\r\n`,
    `GET /api/me HTTP/1.1\r\n${host}\r\nX: a\u0000b\r\n\r\n`,
    `POST /api/chats HTTP/1.1\r\n${host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n`,
    `POST /api/chats HTTP/1.1\r\n${host}\r\nContent-Type: application/json\r\nContent-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    `POST /api/chats HTTP/1.1\r\n${host}\r\nContent-Type: application/json\r\nContent-Length: -1\r\n\r\n{}`,
    `POST /api/chats HTTP/1.1\r\n${host}\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{"email":`,
    `POST /api/chats HTTP/1.1\r\n${host}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`,
    `GET /api/me HTTP/9.9\r\n${host}\r\n\r\n`,
    "GET /\r\n\r\n",
    `GET /api/me HTTP/1.1\r\n${host}\r\nCookie: ${cookie}\r\nCookie: ${cookie}\r\n\r\n`,
    `GET /api/chats HTTP/1.1\r\n${host}\r\nCookie: glasschat_session=\xff\xfe\r\n\r\n`,
    `\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03`,
    `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 99\r\n\r\n`,
  ];
}

/** Writes bytes as they are; resolves the status of the first answer line (0 for none). */
function rawRequest(port: number, text: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let data = "";
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(data)?.[1] ?? 0));
    };
    const timer = setTimeout(done, 3000);
    socket.on("connect", () => socket.write(Buffer.from(text, "latin1")));
    socket.on("data", (chunk) => {
      data += chunk.toString("latin1");
      if (/\r\n\r\n/.test(data)) done();
    });
    socket.on("error", done);
    socket.on("close", done);
  });
}

/** Socket.IO and Engine.IO frames, well-formed and not, over raw WebSockets (reopened when closed). */
async function fuzzFrames(
  ctx: Context,
  server: TortureServer,
  who: Account,
  chatId: string,
  report: { note(text: string): void },
): Promise<{ sent: number; closedByServer: number }> {
  let sent = 0;
  let closedByServer = 0;
  const deadline = Date.now() + 60_000;
  const headers = { cookie: who.cookie, origin: server.url };
  while (sent < FRAMES && Date.now() < deadline) {
    const engine = new RawEngine(server.port, headers);
    if (!(await engine.ready)) {
      engine.close();
      report.note("a fuzzing connection could not open");
      await sleep(200);
      continue;
    }
    let closed = false;
    void engine.closed.then(() => (closed = true));
    for (let i = 0; i < 400 && !closed && sent < FRAMES; i++) {
      const [frame, binary] = frameFor(ctx, chatId);
      engine.send(frame, binary);
      sent++;
      if (i % 20 === 19) {
        await sleep(5);
        while (engine.open && engine.ws.bufferedAmount > 1_000_000) await sleep(10);
      }
    }
    await sleep(20);
    if (closed) closedByServer++;
    engine.close();
  }
  return { sent, closedByServer };
}

function frameFor(ctx: Context, chatId: string): [string | Buffer, boolean] {
  const valid = { chatId, body: "hello", clientId: "fuzz" };
  const kind = ctx.int(100);
  if (kind < 55) {
    const payload = mutate(ctx, { ...valid, clientId: `f${ctx.hex(10)}` });
    const ack = ctx.int(2) ? String(ctx.int(100000)) : "";
    return [`42${ack}${JSON.stringify(["message:send", payload])}`, false];
  }
  if (kind < 65) {
    const event = ctx.pick([
      "__proto__",
      "constructor",
      "toString",
      "hasOwnProperty",
      "message:new",
      "chat:new",
      "connect",
      "disconnect",
      "error",
      "newListener",
      "x".repeat(1000),
    ]);
    return [`42${ctx.int(1000)}${JSON.stringify([event, nastyValue(ctx)])}`, false];
  }
  if (kind < 70)
    return [
      `42${ctx.int(100)}${JSON.stringify(["message:send", { ...valid, clientId: `e${ctx.hex(8)}` }, "extra", { a: 1 }])}`,
      false,
    ];
  if (kind < 85)
    return [
      ctx.pick([
        "42[]",
        "42[1,2]",
        "42{}",
        '42"str"',
        "42[",
        '42["message:send"',
        "4x",
        "49",
        '4-1["message:send",{}]',
        '42999999999999999999999["message:send",{}]',
        "43[1]",
        "431[]",
        "44{}",
        "40/nope,",
        "40/nope,{}",
        '451-["message:send",{"_placeholder":true,"num":0}]',
        '452-["message:send",{"_placeholder":true,"num":99}]',
        "46-[]",
        "4",
        "",
        "6",
        "5",
        "3",
        "2probe",
        "7",
        "9x",
      ]),
      false,
    ];
  if (kind < 92) {
    const bytes = Buffer.from(Array.from({ length: 1 + ctx.int(200) }, () => ctx.int(256)));
    return [bytes, ctx.int(2) === 0];
  }
  if (kind < 94)
    return [
      `42${JSON.stringify(["message:send"]).slice(0, -1)},${deepJsonText(ctx.pick([2000, 10_000]))}]`,
      false,
    ];
  if (kind < 96) {
    const size = ctx.pick([60_000, 70_000]);
    return [`42${JSON.stringify(["message:send", { ...valid, body: "x".repeat(size) }])}`, false];
  }
  return [
    Buffer.concat([
      Buffer.from('42["message:send",{"body":"'),
      Buffer.from([0xff, 0xed, 0xa0, 0x80]),
      Buffer.from('"}]'),
    ]),
    false,
  ];
}
