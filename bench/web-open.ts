/**
 * Web budget check (issue 3): a chat with 10,000 messages must show its first page in under 1 s,
 * and the DOM must hold a bounded number of messages however far back one scrolls.
 * Real server (in-process, SQLite), real Chromium. Prints the figures; exits 1 over budget.
 */
import { CHROMIUM_PATH, chromiumAvailable, launchBrowser } from "../test/support/browser.js";
import { connected, pair, send } from "../test/support/client.js";
import { startServer } from "../test/support/server.js";

const MESSAGES = Number(process.env.BENCH_WEB_MESSAGES ?? 10_000);
const OPEN_BUDGET_MS = 1000;
const DOM_BUDGET = 400;

if (!chromiumAvailable) {
  console.log(`web budget: skipped (no Chromium at ${CHROMIUM_PATH})`);
  process.exit(0);
}

const server = await startServer();
const browser = await launchBrowser();
let failed = false;
try {
  const { alice, bob, chatId } = await pair(server.url);
  const socket = await connected(server.url, bob.cookie);
  const seedStart = performance.now();
  for (let next = 1; next <= MESSAGES; ) {
    const wave = [];
    for (let i = 0; i < 500 && next <= MESSAGES; i++, next++) {
      wave.push(send(socket, { chatId, body: `message number ${next}`, clientId: `seed-${next}` }));
    }
    await Promise.all(wave);
  }
  socket.disconnect();
  console.log(`seeded ${MESSAGES} messages in ${Math.round(performance.now() - seedStart)} ms`);

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const [name, value] = alice.cookie.split("=") as [string, string];
  await context.addCookies([{ name, value, url: server.url }]);
  const page = await context.newPage();
  await page.goto(server.url);
  const chats = page.getByRole("list", { name: "Chats" });
  await chats.getByRole("link").first().waitFor();

  const last = page
    .getByRole("log", { name: "Messages" })
    .getByText(`message number ${MESSAGES}`, { exact: true });
  const openStart = performance.now();
  await chats.getByRole("link").first().click();
  await last.waitFor();
  const openMs = Math.round(performance.now() - openStart);

  // Scroll far back: older pages load, far ones are dropped; the DOM stays bounded.
  let mostInDom = 0;
  for (let i = 0; i < 40; i++) {
    await page.getByRole("log", { name: "Messages" }).evaluate((el) => {
      el.scrollTop = 0;
    });
    await page.waitForTimeout(50);
    mostInDom = Math.max(mostInDom, await page.locator(".msg").count());
  }
  const openOk = openMs < OPEN_BUDGET_MS;
  const domOk = mostInDom <= DOM_BUDGET;
  failed = !openOk || !domOk;
  console.log(
    `open a ${MESSAGES}-message chat: ${openMs} ms (budget ${OPEN_BUDGET_MS} ms) ${openOk ? "ok" : "OVER"}`,
  );
  console.log(
    `most messages in the DOM while scrolling back: ${mostInDom} (budget ${DOM_BUDGET}) ${domOk ? "ok" : "OVER"}`,
  );
} finally {
  await browser.close();
  await server.close();
}
process.exit(failed ? 1 : 0);
