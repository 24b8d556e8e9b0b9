import { connect } from "node:net";
import type { Category } from "../lib/category.js";
import { raw } from "../lib/http.js";
import { startServer } from "../lib/server.js";
import { type Account, signUp, startChat } from "../lib/users.js";

/** Origins a browser may send that are not this server's own `http://127.0.0.1:PORT`. */
function foreignOrigins(port: number): { origin: string; host?: string }[] {
  return [
    { origin: "http://evil.example" },
    { origin: "null" },
    { origin: "http://127.0.0.1.evil.example" },
    { origin: `http://127.0.0.1.evil.example:${port}` },
    { origin: `http://127.0.0.1:${port}.evil.example` },
    { origin: "http://localhost.evil.example" },
    { origin: `https://127.0.0.1:${port}` }, // scheme mismatch
    { origin: `http://127.0.0.1:${port + 1}` }, // port mismatch
    { origin: "http://127.0.0.1" },
    { origin: `ws://127.0.0.1:${port}` },
    { origin: `file://` },
    // The shape of DNS rebinding: a foreign name that resolves to us, Origin and Host agreeing.
    { origin: "http://evil.example", host: "evil.example" },
    { origin: `http://evil.example:${port}`, host: `evil.example:${port}` },
    { origin: `https://evil.example:${port}`, host: `evil.example:${port}` },
  ];
}

const CONTENT_TYPES = [
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "text/plain",
  "text/plain;charset=UTF-8",
  "application/json",
];

export const csrf: Category = {
  name: "csrf",
  budgetMs: () => 90_000,
  async run(ctx, report) {
    const server = await startServer(ctx.defer.bind(ctx), { limits: "relaxed" });
    report.value("limits", "relaxed");
    const a = await signUp(ctx, server.url, "ann");
    const b = await signUp(ctx, server.url, "ben");
    const chatId = await startChat(a, b);
    const port = server.port;
    const writes = (who: Account) => [
      { method: "POST", path: "/api/chats", body: JSON.stringify({ email: b.email }), cookie: who.cookie },
      {
        method: "POST",
        path: `/api/chats/${chatId}/clear`,
        body: JSON.stringify({ forEveryone: true }),
        cookie: who.cookie,
      },
      {
        method: "POST",
        path: `/api/chats/${chatId}/read`,
        body: JSON.stringify({ seq: 1 }),
        cookie: who.cookie,
      },
      { method: "DELETE", path: `/api/chats/${chatId}`, body: undefined, cookie: who.cookie },
      {
        method: "PATCH",
        path: "/api/me/settings",
        body: JSON.stringify({ shareLastSeen: false }),
        cookie: who.cookie,
      },
      // Logout answers 204 to anyone: only the origin check can refuse it (B's session is spent on it).
      { method: "POST", path: "/api/auth/logout", body: undefined, cookie: b.cookie },
      // Login CSRF: signing the victim's browser into the attacker's account.
      {
        method: "POST",
        path: "/api/auth/login",
        body: JSON.stringify({ email: b.email, password: b.password }),
        cookie: "",
      },
    ];
    let tried = 0;
    let succeeded = 0;
    let reflected = 0;
    const checkAcao = (
      headers: Record<string, string | string[] | undefined>,
      origin: string,
      what: string,
    ) => {
      const acao = headers["access-control-allow-origin"];
      if (acao !== undefined && (acao === origin || acao === "*")) {
        reflected++;
        report.note(`${what} answered Access-Control-Allow-Origin: ${acao}`);
      }
    };
    for (const { origin, host } of foreignOrigins(port)) {
      for (const w of writes(a)) {
        for (const type of w.body === undefined ? [undefined] : CONTENT_TYPES) {
          const headers: Record<string, string> = { origin, host: host ?? `127.0.0.1:${port}` };
          if (type) headers["content-type"] = type;
          if (w.cookie) headers.cookie = w.cookie;
          const answer = await raw(port, { method: w.method, path: w.path, headers, body: w.body });
          tried++;
          if (answer.status >= 200 && answer.status < 400) {
            succeeded++;
            report.note(
              `${w.method} ${w.path} (${type}) from ${origin} host ${host ?? "-"} answered ${answer.status}`,
            );
          }
          checkAcao(answer.headers, origin, `${w.method} ${w.path}`);
        }
      }
      // A preflight must not invite the cross-origin write either.
      const preflight = await raw(port, {
        method: "OPTIONS",
        path: "/api/chats",
        headers: {
          origin,
          host: host ?? `127.0.0.1:${port}`,
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type",
        },
      });
      tried++;
      checkAcao(preflight.headers, origin, "OPTIONS /api/chats");
    }
    // Sec-Fetch-Site: cross-site without an Origin (some browsers' navigations and forms).
    for (const w of writes(a)) {
      const headers: Record<string, string> = {
        "sec-fetch-site": "cross-site",
        "content-type": "application/json",
      };
      if (w.cookie) headers.cookie = w.cookie;
      const answer = await raw(port, { method: w.method, path: w.path, headers, body: w.body });
      tried++;
      if (answer.status >= 200 && answer.status < 400) {
        succeeded++;
        report.note(`${w.method} ${w.path} with Sec-Fetch-Site: cross-site answered ${answer.status}`);
      }
    }

    // Cross-site handshakes: Engine.IO polling and a WebSocket upgrade, with the victim's cookie.
    let handshakes = 0;
    let accepted = 0;
    for (const { origin, host } of foreignOrigins(port)) {
      const hostHeader = host ?? `127.0.0.1:${port}`;
      const polling = await raw(port, {
        method: "GET",
        path: "/socket.io/?EIO=4&transport=polling",
        headers: { origin, host: hostHeader, cookie: a.cookie },
      });
      handshakes++;
      if (polling.status === 200 && polling.text.includes('"sid"')) {
        accepted++;
        report.note(`polling handshake from ${origin} host ${host ?? "-"} accepted`);
      }
      checkAcao(polling.headers, origin, "polling handshake");
      const upgraded = await websocketUpgrade(port, { origin, host: hostHeader, cookie: a.cookie });
      handshakes++;
      if (upgraded) {
        accepted++;
        report.note(`WebSocket handshake from ${origin} host ${host ?? "-"} accepted`);
      }
    }
    // The same handshakes from our own origin must work, or the check above proves nothing.
    const own = await websocketUpgrade(port, {
      origin: server.url,
      host: `127.0.0.1:${port}`,
      cookie: a.cookie,
    });
    if (!own)
      report.fail("a same-origin WebSocket handshake was refused: the handshake checks cannot be trusted");

    report.value("writes_tried", tried);
    report.value("handshakes_tried", handshakes);
    report.zero("succeeded", succeeded);
    report.zero("accepted", accepted);
    report.zero("acao_reflected", reflected);
  },
};

/** A hand-written WebSocket upgrade to Engine.IO: true when the server answers 101. */
function websocketUpgrade(port: number, headers: Record<string, string>): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let data = "";
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 5000);
    socket.on("connect", () => {
      const lines = [
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1",
        "Connection: Upgrade",
        "Upgrade: websocket",
        "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      ];
      socket.write(`${lines.join("\r\n")}\r\n\r\n`);
    });
    socket.on("data", (chunk) => {
      data += chunk.toString("latin1");
      if (data.includes("\r\n")) done(/^HTTP\/1\.1 101/.test(data));
    });
    socket.on("error", () => done(false));
    socket.on("close", () => done(false));
  });
}
