import type { Socket } from "socket.io-client";
import type { Category } from "../lib/category.js";
import type { Context } from "../lib/context.js";
import { type Answer, call } from "../lib/http.js";
import { startServer } from "../lib/server.js";
import { connectedSocket, send, socketTo, whenConnected } from "../lib/sockets.js";
import { type Account, signUp, startChat } from "../lib/users.js";
import { sleep } from "../lib/wait.js";

const ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

interface Probe {
  method: string;
  /** `{chat}`, `{msg}`, `{userA}`, `{userB}`, `{emailC}` are filled in per target. */
  path: string;
  body?: unknown;
  /** v1 routes must exist; others are probed only where the server has them. */
  v1?: boolean;
}

/** Every chat-scoped route of v1 and v2 (PROTOCOL.md): a non-member must get what a missing chat gets. */
const CHAT_PROBES: Probe[] = [
  { method: "GET", path: "/api/chats/{chat}/messages", v1: true },
  { method: "GET", path: "/api/chats/{chat}/messages?after={msg}", v1: true },
  { method: "GET", path: "/api/chats/{chat}/messages?before={msg}&limit=5", v1: true },
  { method: "POST", path: "/api/chats/{chat}/read", body: { seq: 1 }, v1: true },
  { method: "GET", path: "/api/insights?chatId={chat}", v1: true },
  { method: "GET", path: "/api/chats/{chat}/changes" },
  { method: "GET", path: "/api/chats/{chat}/messages?around={msg}" },
  { method: "GET", path: "/api/search?q=secret&chatId={chat}" },
  { method: "PATCH", path: "/api/chats/{chat}", body: { title: "taken over" } },
  { method: "POST", path: "/api/chats/{chat}/members", body: { email: "{emailC}" } },
  { method: "PATCH", path: "/api/chats/{chat}/members/{userA}", body: { role: "admin" } },
  { method: "PATCH", path: "/api/chats/{chat}/messages/{msg}", body: { body: "edited by a stranger" } },
  { method: "PUT", path: "/api/chats/{chat}/messages/{msg}/reactions/%F0%9F%91%8D" },
  { method: "DELETE", path: "/api/chats/{chat}/messages/{msg}/reactions/%F0%9F%91%8D" },
  { method: "DELETE", path: "/api/chats/{chat}/messages/{msg}?for=me" },
  { method: "POST", path: "/api/chats/{chat}/accept" },
  { method: "GET", path: "/api/chats/{chat}/export" },
  // Destructive ones last: if one wrongly succeeds, the probes before it still saw the chat whole.
  { method: "DELETE", path: "/api/chats/{chat}/messages/{msg}?for=everyone" },
  { method: "POST", path: "/api/chats/{chat}/clear", body: {}, v1: true },
  { method: "POST", path: "/api/chats/{chat}/clear", body: { forEveryone: true }, v1: true },
  { method: "DELETE", path: "/api/chats/{chat}/members/{userB}" },
  { method: "DELETE", path: "/api/chats/{chat}", v1: true },
];

/** Routes that need a session at all: logged-out and anonymous callers must get 401 from each. */
const SESSION_PROBES: Probe[] = [
  { method: "GET", path: "/api/me", v1: true },
  { method: "GET", path: "/api/chats", v1: true },
  { method: "POST", path: "/api/chats", body: { email: "{emailC}" }, v1: true },
  { method: "GET", path: "/api/insights", v1: true },
  { method: "GET", path: "/api/search?q=secret" },
  { method: "PATCH", path: "/api/me/settings", body: { shareLastSeen: false } },
  { method: "GET", path: "/api/me/blocks" },
  { method: "PUT", path: "/api/me/blocks/{userA}" },
  { method: "GET", path: "/api/me/sessions" },
  { method: "GET", path: "/api/me/export" },
  { method: "GET", path: "/api/invitations" },
  { method: "POST", path: "/api/invitations", body: { email: "someone-new@example.com" } },
  { method: "GET", path: "/api/push/key" },
  { method: "POST", path: "/api/auth/password", body: { currentPassword: "x", newPassword: "yyyyyyyyyy" } },
  { method: "POST", path: "/api/files", body: "hello" },
  { method: "POST", path: "/api/chats", body: { kind: "group", title: "g", emails: ["{emailC}"] } },
];

/** Socket events that name a chat (v1's message:send; v2's typing, where it exists). */
const CHAT_EVENTS = ["message:send", "typing:start", "typing:stop"];

interface Target {
  chat: string;
  msg: string;
}

export const authz: Category = {
  name: "authz",
  budgetMs: () => 120_000,
  async run(ctx, report) {
    // Limits would only turn probes into 429s: relaxed.
    const server = await startServer(ctx.defer.bind(ctx), { limits: "relaxed" });
    report.value("limits", "relaxed");
    const url = server.url;
    const [a, b, c, r, gone] = [
      await signUp(ctx, url, "owner"),
      await signUp(ctx, url, "member"),
      await signUp(ctx, url, "outsider"),
      await signUp(ctx, url, "removed"),
      await signUp(ctx, url, "loggedout"),
    ] as Account[] as [Account, Account, Account, Account, Account];
    const secrets = [a.email, b.email, r.email];
    const chatId = await startChat(a, b);
    const socketA = await connectedSocket(ctx, url, a.cookie);
    const socketB = await connectedSocket(ctx, url, b.cookie);
    const firstMessage = await sendSecret(ctx, socketA, chatId, secrets);
    await sendSecret(ctx, socketB, chatId, secrets);
    const targets: Target[] = [{ chat: chatId, msg: firstMessage }];

    // v2 groups, when they exist: R is added, then removed, and becomes a "removed member".
    const groupId = await removedMemberGroup(a, b, r);
    const roles: [string, string | undefined][] = [
      ["outsider", c.cookie],
      ["logged_out", gone.cookie],
      ["anonymous", undefined],
    ];
    let socketR: Socket | undefined;
    if (groupId) {
      const groupMessage = await sendSecret(ctx, socketA, groupId, secrets);
      targets.push({ chat: groupId, msg: groupMessage });
      roles.push(["removed", r.cookie]);
    }
    const logout = await gone.api("POST", "/api/auth/logout");
    if (logout.status !== 204) report.fail(`logout answered ${logout.status}`);

    // Non-members listen throughout; nothing about A and B's chats may reach them.
    let foreign = 0;
    const watch = (socket: Socket, who: string) =>
      socket.onAny((event: string, ...args: unknown[]) => {
        const text = JSON.stringify(args);
        if (
          targets.some((t) => text.includes(t.chat)) ||
          secrets.some((s) => text.includes(s)) ||
          text.includes("SECRET")
        ) {
          foreign++;
          report.note(`${who} received ${event} ${text.slice(0, 160)}`);
        }
      });
    const socketC = await connectedSocket(ctx, url, c.cookie);
    watch(socketC, "outsider");
    if (groupId) {
      socketR = await connectedSocket(ctx, url, r.cookie);
      watch(socketR, "removed member");
    }
    // Members must not hear a stranger type or write in their chats.
    const strangers = [c.user.id, r.user.id, gone.user.id];
    for (const [socket, who] of [
      [socketA, "owner"],
      [socketB, "member"],
    ] as const)
      socket.onAny((event: string, ...args: unknown[]) => {
        const text = JSON.stringify(args);
        if (strangers.some((id) => text.includes(id)) && event !== "chat:updated") {
          foreign++;
          report.note(`${who} received ${event} from a non-member: ${text.slice(0, 160)}`);
        }
      });

    // Which routes this server has: a route it lacks answers like a route that cannot exist.
    const noRoute = async (method: string) =>
      (
        await call(url, method, "/api/torture-no-such-route", {
          cookie: a.cookie,
          body: method === "GET" ? undefined : {},
        })
      ).text;
    const absent = new Map<string, string>();
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) absent.set(method, await noRoute(method));
    const fill = (p: string, t: Target) =>
      p
        .replaceAll("{chat}", t.chat)
        .replaceAll("{msg}", t.msg)
        .replaceAll("{userA}", a.user.id)
        .replaceAll("{userB}", b.user.id)
        .replaceAll("{emailC}", c.email);
    const fillBody = (body: unknown, t: Target) =>
      body === undefined
        ? undefined
        : typeof body === "string"
          ? body
          : JSON.parse(fill(JSON.stringify(body), t));
    const exists = async (probe: Probe): Promise<boolean> => {
      if (probe.v1) return true;
      // Discovered as the owner on a chat id that does not exist, so nothing of the targets changes.
      const scratch = { chat: targets[0]!.chat.replace(/.$/, "0"), msg: "m" };
      const answer = await call(url, probe.method, fill(probe.path, scratch).replace("{msg}", "m"), {
        cookie: a.cookie,
        body: probe.body === undefined ? undefined : fillBody(probe.body, scratch),
      });
      return !(answer.status === 404 && answer.text === absent.get(probe.method));
    };
    const chatProbes: Probe[] = [];
    for (const probe of CHAT_PROBES) if (await exists(probe)) chatProbes.push(probe);
    const sessionProbes: Probe[] = [];
    for (const probe of SESSION_PROBES)
      if (
        probe.v1 ||
        (
          await call(url, probe.method, fill(probe.path, targets[0]!), {
            body: fillBody(probe.body, targets[0]!),
          })
        ).text !== absent.get(probe.method)
      )
        sessionProbes.push(probe);
    report.value("routes", chatProbes.length + sessionProbes.length);

    let probes = 0;
    let leaks = 0;
    let accepted = 0;
    let oracle = 0;
    const leaked = (who: string, what: string, text: string) => {
      if (
        secrets.some((s) => text.includes(s)) ||
        text.includes("SECRET") ||
        text.includes(a.username) ||
        text.includes(b.username)
      ) {
        leaks++;
        report.note(`${who} ${what} leaked: ${text.slice(0, 160)}`);
      }
    };
    const fake = (t: Target): Target => {
      const chat = `c${Array.from({ length: t.chat.length - 1 }, () => ctx.pick([...ID_ALPHABET])).join("")}`;
      return { chat, msg: t.msg.replace(t.chat, chat) };
    };
    const shape = (answer: Answer, t: Target) =>
      `${answer.status} ${answer.headers.get("content-type")} ${answer.text.replaceAll(t.chat, "<chat>").replaceAll(t.msg, "<msg>")}`;

    for (const [role, cookie] of roles) {
      for (const t of targets) {
        if (role === "removed" && t.chat !== groupId) continue;
        const f = fake(t);
        for (const probe of chatProbes) {
          const real = await call(url, probe.method, fill(probe.path, t), {
            cookie,
            body: fillBody(probe.body, t),
          });
          const none = await call(url, probe.method, fill(probe.path, f), {
            cookie,
            body: fillBody(probe.body, f),
          });
          probes += 2;
          if (real.status >= 200 && real.status < 300) {
            accepted++;
            report.note(`${role} ${probe.method} ${probe.path} answered ${real.status}`);
          }
          leaked(role, `${probe.method} ${probe.path}`, real.text);
          if (shape(real, t) !== shape(none, f)) {
            oracle++;
            report.note(
              `${role} ${probe.method} ${probe.path}: member-only chat answers ${shape(real, t).slice(0, 80)} but a missing one ${shape(none, f).slice(0, 80)}`,
            );
          }
        }
      }
      if (role === "outsider" || role === "removed") continue;
      for (const probe of sessionProbes) {
        const answer = await call(url, probe.method, fill(probe.path, targets[0]!), {
          cookie,
          body: fillBody(probe.body, targets[0]!),
        });
        probes++;
        if (answer.status !== 401) {
          accepted += answer.status >= 200 && answer.status < 300 ? 1 : 0;
          if (answer.status < 400)
            report.note(`${role} ${probe.method} ${probe.path} answered ${answer.status}`);
        }
        leaked(role, `${probe.method} ${probe.path}`, answer.text);
      }
    }

    // Events: the outsider and the removed member name the chats; logged-out and anonymous
    // callers must not get a socket at all.
    const eventRoles: [string, Socket][] = [["outsider", socketC]];
    if (socketR) eventRoles.push(["removed", socketR]);
    for (const [role, socket] of eventRoles)
      for (const t of targets) {
        if (role === "removed" && t.chat !== groupId) continue;
        const f = fake(t);
        for (const event of CHAT_EVENTS) {
          const payload = (x: Target) => ({
            chatId: x.chat,
            body: "SECRET? no: a stranger's text",
            clientId: `z${ctx.hex(10)}`,
          });
          const [real, none] = [
            await ackOf(socket, event, payload(t)),
            await ackOf(socket, event, payload(f)),
          ];
          probes += 2;
          if ((real as { ok?: boolean } | undefined)?.ok) {
            accepted++;
            report.note(`${role} ${event} to a chat it is not in was accepted`);
          }
          const norm = (x: unknown) => JSON.stringify(x ?? null);
          if (norm(real) !== norm(none)) {
            oracle++;
            report.note(
              `${role} ${event}: ${norm(real).slice(0, 80)} vs missing chat ${norm(none).slice(0, 80)}`,
            );
          }
        }
      }
    for (const [role, cookie] of [
      ["logged_out", gone.cookie],
      ["anonymous", undefined],
    ] as const) {
      const socket = socketTo(ctx, url, cookie);
      probes++;
      if (await whenConnected(socket, 5000)) {
        accepted++;
        report.note(`${role} got a socket`);
        socket.onAny(() => foreign++);
      }
    }
    // A message after the probes: it must reach the members and nobody else.
    await sendSecret(ctx, socketA, chatId, secrets);
    if (groupId) await sendSecret(ctx, socketA, groupId, secrets);
    await sleep(500);

    report.value("roles", roles.map(([r]) => r).join(","));
    report.value("probes", probes);
    report.zero("leaks", leaks);
    report.zero("foreign_events", foreign);
    report.zero("2xx_on_forbidden", accepted);
    report.zero("existence_oracle_diffs", oracle);
  },
};

async function sendSecret(ctx: Context, socket: Socket, chatId: string, secrets: string[]): Promise<string> {
  const ack = await send(socket, { chatId, body: `SECRET ${ctx.hex(12)}`, clientId: ctx.hex(16) });
  if (!ack?.ok) throw new Error(`setup send failed: ${JSON.stringify(ack)}`);
  secrets.push(ack.message.body);
  return ack.message.id;
}

function ackOf(socket: Socket, event: string, payload: unknown): Promise<unknown> {
  return socket
    .timeout(1500)
    .emitWithAck(event, payload)
    .catch(() => undefined);
}

/** A v2 group of A, B and R from which R was removed; undefined where groups do not exist. */
async function removedMemberGroup(a: Account, b: Account, r: Account): Promise<string | undefined> {
  const created = await a.api("POST", "/api/chats", {
    kind: "group",
    title: "torture group",
    emails: [b.email, r.email],
  });
  if (created.status !== 201) return undefined;
  const id = (created.json() as { chat: { id: string } }).chat.id;
  const removed = await a.api("DELETE", `/api/chats/${id}/members/${r.user.id}`);
  return removed.status === 204 ? id : undefined;
}
