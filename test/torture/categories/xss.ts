import type { Browser, Page } from "playwright-core";
import type { Socket } from "socket.io-client";
import { launchBrowser, newUserContext } from "../../support/browser.js";
import { Canary } from "../lib/canary.js";
import type { Category } from "../lib/category.js";
import type { Context } from "../lib/context.js";
import { call } from "../lib/http.js";
import { xssPayloads } from "../lib/payloads.js";
import { startServer, type TortureServer } from "../lib/server.js";
import { connectedSocket, send } from "../lib/sockets.js";
import { type Account, PASSWORD, signUp, startChat } from "../lib/users.js";
import { sleep } from "../lib/wait.js";

interface Seen {
  controlCaught?: boolean;
  executed: number;
  dialogs: number;
  injected: number;
  cspViolations: number;
}

/**
 * Elements and attributes that user text must never become: any `on…` attribute, a script-bearing
 * URL, or a dangerous element that carries a payload's marker (the app's own icons do not).
 */
function findInjected(markers: string[]): string[] {
  const found: string[] = [];
  const dangerous = [
    "script",
    "iframe",
    "object",
    "embed",
    "base",
    "meta",
    "link",
    "style",
    "img",
    "svg",
    "math",
    "form",
    "x",
    "marquee",
    "details",
    "video",
    "audio",
    "input",
    "select",
    "template",
    "noscript",
    "table",
  ];
  for (const el of Array.from(document.body.querySelectorAll("*"))) {
    const tag = el.tagName.toLowerCase();
    const attrs = Array.from(el.attributes);
    const own =
      attrs.map((a) => `${a.name}=${a.value}`).join(" ") +
      (["script", "style"].includes(tag) ? el.textContent : "");
    const marked = markers.some((m) => own.includes(m));
    if (attrs.some((a) => a.name.startsWith("on")) || (dangerous.includes(tag) && marked))
      found.push(el.outerHTML.slice(0, 120));
    else if (
      attrs.some(
        (a) =>
          ["href", "src", "action", "data", "formaction"].includes(a.name) &&
          /^\s*(javascript|data|vbscript):/i.test(a.value),
      )
    )
      found.push(el.outerHTML.slice(0, 120));
  }
  return found;
}

export const xss: Category = {
  name: "xss",
  budgetMs: () => 150_000,
  async run(ctx, report) {
    const canary = new Canary();
    await canary.listen();
    ctx.defer(() => canary.close());
    const server = await startServer(ctx.defer.bind(ctx), { limits: "relaxed" });
    report.value("limits", "relaxed");
    const payloads = xssPayloads(canary.origin);
    report.value("payloads", payloads.length);

    // Usernames: the protocol's charset should refuse every payload; any accepted one is shown.
    let usernamesAccepted = 0;
    for (const payload of payloads.slice(0, 20)) {
      const answer = await call(server.url, "POST", "/api/auth/register", {
        body: { email: `u${ctx.hex(8)}@example.com`, username: payload.slice(0, 32), password: PASSWORD },
      });
      if (answer.status === 201) usernamesAccepted++;
    }
    report.value("payload_usernames_accepted", usernamesAccepted);

    const victim = await signUp(ctx, server.url, "victim");
    const attacker = await signUp(ctx, server.url, "attacker");
    const second = await signUp(ctx, server.url, "second");
    const chatId = await startChat(attacker, victim);
    const otherChat = await startChat(second, victim);
    const socket = await connectedSocket(ctx, server.url, attacker.cookie);
    const secondSocket = await connectedSocket(ctx, server.url, second.cookie);
    for (const body of payloads) await mustSend(ctx, socket, chatId, body);
    // v2, where it exists: group titles and file names carry payloads too.
    const places = ["message_body", "chat_preview", "chat_title", "tab_title", "insights", "live_messages"];
    const groups = await payloadGroups(ctx, attacker, victim, payloads.slice(0, 8));
    if (groups) places.push("group_title");
    if (await payloadFileNames(attacker, payloads.slice(0, 5))) places.push("file_name");
    report.value("places", places.join(","));

    const browser = await launchBrowser();
    ctx.defer(() => browser.close());
    let controlCaught = false;
    const total: Seen = { executed: 0, dialogs: 0, injected: 0, cspViolations: 0 };
    // Once as shipped, once with the CSP switched off: the rendering itself must be safe.
    for (const bypassCSP of [false, true]) {
      const seen = await visit(ctx, browser, server, victim, {
        chatId,
        otherChat,
        payloads,
        socket,
        secondSocket,
        bypassCSP,
        canaryHost: `127.0.0.1:${canary.port}`,
        note: (text: string) => report.note(text),
      });
      total.executed += seen.executed;
      total.dialogs += seen.dialogs;
      total.injected += seen.injected;
      total.cspViolations += seen.cspViolations;
      if (bypassCSP) controlCaught = seen.controlCaught === true;
    }
    await sleep(500);
    // The control's own image error handler calls the canary once.
    const hits = canary.hits - (controlCaught ? 1 : 0);
    if (hits) report.note(`canary requests: ${canary.paths.slice(0, 5).join(", ")}`);
    report.value("csp_violations", total.cspViolations);
    report.zero("executed", total.executed);
    report.zero("dialogs", total.dialogs);
    report.zero("canary_requests", hits);
    report.check(
      "control",
      controlCaught ? "caught" : "missed",
      controlCaught,
      "a payload inserted on purpose went unseen",
    );
    report.zero("injected_elements", total.injected);
  },
};

async function mustSend(ctx: Context, socket: Socket, chatId: string, body: string): Promise<void> {
  const ack = await send(socket, { chatId, body, clientId: ctx.hex(16) });
  if (!ack?.ok) throw new Error(`a payload was refused: ${JSON.stringify(ack).slice(0, 200)}`);
}

async function visit(
  ctx: Context,
  browser: Browser,
  server: TortureServer,
  victim: Account,
  o: {
    chatId: string;
    otherChat: string;
    payloads: string[];
    socket: Socket;
    secondSocket: Socket;
    bypassCSP: boolean;
    canaryHost: string;
    note(text: string): void;
  },
): Promise<Seen> {
  const seen: Seen = { executed: 0, dialogs: 0, injected: 0, cspViolations: 0 };
  const context = await newUserContext(browser, { bypassCSP: o.bypassCSP });
  try {
    const [name, value] = victim.cookie.split("=") as [string, string];
    await context.addCookies([{ name, value, url: server.url }]);
    await context.exposeFunction("__cspReport", () => seen.cspViolations++);
    await context.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", () =>
        (window as unknown as { __cspReport(): void }).__cspReport(),
      );
    });
    const page = await context.newPage();
    page.on("dialog", (dialog) => {
      seen.dialogs++;
      void dialog.dismiss();
    });
    const markers = ["__pwned", o.canaryHost, "alert(", "confirm("];
    const inspect = async () => {
      const found = await page.evaluate(findInjected, markers);
      seen.injected += found.length;
      for (const html of found) o.note(`injected: ${html}`);
    };
    const pwned = () => page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? 0);

    // The chat list: every chat's title and preview.
    await page.goto(server.url);
    await page.getByRole("list", { name: "Chats" }).waitFor();
    await sleep(500);
    // The chat: every payload as a message body, older pages by scrolling up.
    await page.goto(`${server.url}/#/chat/${o.chatId}`);
    const log = page.getByRole("log", { name: "Messages" });
    await log.waitFor();
    const marker = `end ${ctx.hex(8)}`;
    await mustSend(ctx, o.socket, o.chatId, marker);
    await log.getByText(marker).waitFor();
    for (let i = 0; i < 4; i++) {
      await log.evaluate((el) => el.scrollTo(0, 0));
      await sleep(400);
    }
    // Live: payloads arriving in the open chat, and in another chat (preview, unread, tab title).
    for (const body of o.payloads.slice(0, 10)) await mustSend(ctx, o.socket, o.chatId, body);
    for (const body of o.payloads.slice(10, 20)) await mustSend(ctx, o.secondSocket, o.otherChat, body);
    const live = `live ${ctx.hex(8)}`;
    await mustSend(ctx, o.socket, o.chatId, live);
    await log.getByText(live).waitFor();
    await hoverAround(page);
    await inspect();
    const title = await page.title();
    if (/<|onerror|script/i.test(title) && !o.bypassCSP) seen.injected++;
    // The other chat, then Insights (chat titles in the top chats).
    await page.goto(`${server.url}/#/chat/${o.otherChat}`);
    await page.getByRole("log", { name: "Messages" }).waitFor();
    await sleep(800);
    await inspect();
    await page.goto(`${server.url}/#/insights`);
    await sleep(1500);
    await inspect();
    seen.executed += await pwned();
    // A full reload: everything rendered from history again.
    await page.goto(`${server.url}/#/chat/${o.chatId}`);
    await page.reload();
    await page.getByRole("log", { name: "Messages" }).waitFor();
    await sleep(1000);
    await hoverAround(page);
    seen.executed += await pwned();
    if (o.bypassCSP) {
      // Control: the same payload put in as HTML on purpose must be caught, or the zeros mean nothing.
      const before = await pwned();
      await page.evaluate(
        (html) => document.body.insertAdjacentHTML("beforeend", html),
        o.payloads[1] as string,
      );
      await sleep(500);
      seen.controlCaught = (await pwned()) > before;
    }
    return seen;
  } finally {
    await context.close();
  }
}

/** Moves the pointer over the page and focuses what it can: handlers that need a user wake up. */
async function hoverAround(page: Page): Promise<void> {
  for (let x = 50; x < 1280; x += 200) for (let y = 50; y < 800; y += 150) await page.mouse.move(x, y);
  for (let i = 0; i < 10; i++) await page.keyboard.press("Tab");
}

/** v2 groups titled with payloads; false where groups do not exist. */
async function payloadGroups(
  ctx: Context,
  attacker: Account,
  victim: Account,
  titles: string[],
): Promise<boolean> {
  let made = 0;
  for (const title of titles) {
    const answer = await attacker.api("POST", "/api/chats", {
      kind: "group",
      title: title.slice(0, 100),
      emails: [victim.email],
    });
    if (answer.status === 201) made++;
  }
  void ctx;
  return made > 0;
}

/** v2 files named with payloads; false where uploads do not exist. */
async function payloadFileNames(attacker: Account, names: string[]): Promise<boolean> {
  let made = 0;
  for (const name of names) {
    const answer = await attacker.api("POST", "/api/files", "plain text", {
      "content-type": "text/plain",
      "x-file-name": encodeURIComponent(name),
    });
    if (answer.status === 201) made++;
  }
  return made > 0;
}
