import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeIfChromium, launchBrowser, newUserContext } from "../support/browser.js";
import { clientId, closeAllSockets, connected, pair, send } from "../support/client.js";
import { startServer, type TestServer } from "../support/server.js";
import { bubbles, chatLink, eventually, logIn, messageLog } from "./helpers.js";

const label = (i: number) => `message ${String(i).padStart(3, "0")}`;
const TOTAL = 420;
/** The client's window (WINDOW_MAX) plus slack: the DOM must never hold the whole chat. */
const DOM_LIMIT = 300;

describeIfChromium("web client: long histories", () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    closeAllSockets();
    await browser?.close();
    await server?.close();
  });

  async function seededChat() {
    const { alice, bob, chatId } = await pair(server.url);
    const socket = await connected(server.url, bob.cookie);
    for (let i = 1; i <= TOTAL; i++) {
      const ack = await send(socket, { chatId, body: label(i), clientId: clientId() });
      if (!ack.ok) throw new Error(ack.error.message);
    }
    const context = await newUserContext(browser);
    const page = await context.newPage();
    await page.goto(server.url);
    await logIn(page, alice);
    await chatLink(page, bob.user.username).click();
    return { page, socket, chatId };
  }

  const messagesInDom = (page: Page) => page.locator(".msg").count();
  const distanceFromBottom = (page: Page) =>
    messageLog(page).evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);

  it("opens at the newest page, loads older pages on scroll-up without moving the view, and keeps the DOM bounded", async () => {
    const { page, socket, chatId } = await seededChat();
    await bubbles(page, label(TOTAL)).waitFor();
    await eventually(() => distanceFromBottom(page)).toBeLessThan(2);
    expect(await messagesInDom(page)).toBeLessThanOrEqual(50);

    // Scroll to the top once: the message that was first on screen stays where it was.
    const firstShown = label(TOTAL - 49);
    const yOf = (text: string) =>
      messageLog(page).evaluate(
        (el, t) =>
          [...el.querySelectorAll(".msg-body")].find((p) => p.textContent === t)?.getBoundingClientRect().top,
        text,
      );
    // Measured in the same task as the scroll, before the scroll event can fetch anything.
    const before = await messageLog(page).evaluate((el, t) => {
      el.scrollTop = 0;
      return [...el.querySelectorAll(".msg-body")].find((p) => p.textContent === t)?.getBoundingClientRect()
        .top;
    }, firstShown);
    expect(before).toBeTypeOf("number");
    await bubbles(page, label(TOTAL - 50)).waitFor({ state: "attached" });
    await eventually(() => yOf(firstShown)).toBeCloseTo(before ?? -1, 0);

    // Keep scrolling up to the very first message; the DOM never holds more than the window.
    let most = 0;
    await expect
      .poll(
        async () => {
          most = Math.max(most, await messagesInDom(page));
          await messageLog(page).evaluate((el) => {
            el.scrollTop = 0;
          });
          return bubbles(page, label(1)).count();
        },
        { timeout: 20_000, interval: 100 },
      )
      .toBe(1);
    most = Math.max(most, await messagesInDom(page));
    expect(most).toBeLessThanOrEqual(DOM_LIMIT);
    await page.getByText("This is the beginning of your conversation.").waitFor();
    expect(await bubbles(page, label(TOTAL)).count()).toBe(0); // the far end was dropped

    // The newest end is one click away, and new messages stick to the bottom there.
    await page.getByRole("button", { name: "Jump to latest" }).click();
    await bubbles(page, label(TOTAL)).waitFor();
    await eventually(() => distanceFromBottom(page)).toBeLessThan(2);
    expect(await messagesInDom(page)).toBeLessThanOrEqual(DOM_LIMIT);
    await send(socket, { chatId, body: "live at the bottom", clientId: clientId() });
    await bubbles(page, "live at the bottom").waitFor();
    await eventually(() => distanceFromBottom(page)).toBeLessThan(2);

    // Scrolled up a little, a new message does not yank the view: a pill offers to go down.
    await messageLog(page).evaluate(async (el) => {
      el.scrollTop = el.scrollHeight - el.clientHeight - 600;
      // The scroll event (which tells the list the reader left the bottom) fires on a later frame.
      await new Promise<void>((resolve) => el.addEventListener("scroll", () => resolve(), { once: true }));
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    });
    const offset = await distanceFromBottom(page);
    await send(socket, { chatId, body: "while you were reading", clientId: clientId() });
    const pill = page.getByRole("button", { name: "New messages" });
    await pill.waitFor();
    expect(await distanceFromBottom(page)).toBeGreaterThan(offset);
    await pill.click();
    await eventually(() => distanceFromBottom(page)).toBeLessThan(2);
    await pill.waitFor({ state: "detached" });
    await bubbles(page, "while you were reading").waitFor();
  });
});
