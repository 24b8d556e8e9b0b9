import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeIfChromium, launchBrowser, newUserContext } from "../support/browser.js";
import { clientId, closeAllSockets, connected, pair, send } from "../support/client.js";
import { startServer, type TestServer } from "../support/server.js";
import { bubbles, chatLink, eventually, logIn, messageLog, screenshotPath } from "./helpers.js";

const TOTAL = 300;
const label = (i: number) => `message ${String(i).padStart(3, "0")}`;
/** Message i was sent 6 hours after message i-1, from 2025-01-01 00:00 UTC on. */
const createdAt = (i: number) => Date.UTC(2025, 0, 1) + (i - 1) * 6 * 3_600_000;
const NEEDLE = 20;

describeIfChromium("web client: message search and jump to date", () => {
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

  /** Alice and Bob with a long history (one old message says "needle in a haystack"), Alice signed in. */
  async function longChat() {
    const { alice, bob, chatId } = await pair(server.url);
    const socket = await connected(server.url, bob.cookie);
    for (let i = 1; i <= TOTAL; i++) {
      const body = i === NEEDLE ? "Needle in a Häystack, far back" : label(i);
      const ack = await send(socket, { chatId, body, clientId: clientId() });
      if (!ack.ok) throw new Error(ack.error.message);
    }
    const db = server.app.database.db;
    for (let i = 1; i <= TOTAL; i++) {
      await db
        .updateTable("messages")
        .set({ created_at: createdAt(i) })
        .where("chat_id", "=", chatId)
        .where("seq", "=", i)
        .execute();
    }
    const context = await newUserContext(browser, { timezoneId: "UTC" });
    const page = await context.newPage();
    await page.goto(server.url);
    await logIn(page, alice);
    await chatLink(page, bob.user.username).waitFor();
    return { page, bob, chatId };
  }

  const highlighted = (page: Page) => messageLog(page).locator(".msg.is-highlighted .msg-body");
  const scrollLog = (page: Page, to: "top" | "bottom") =>
    messageLog(page).evaluate((el, where) => {
      el.scrollTop = where === "top" ? 0 : el.scrollHeight;
    }, to);

  it("finds an old message from the sidebar (Ctrl+K), opens the long chat at it, and scrolls both ways from there", async () => {
    const { page, bob } = await longChat();
    await page.keyboard.press("Control+k");
    const box = page.getByRole("searchbox", { name: "Search messages" });
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    await box.fill("haystack NEEDL");
    const results = page.getByRole("region", { name: "Search results" });
    const result = results.getByRole("button", { name: /Needle in a Häystack/ });
    await result.waitFor();
    expect(await results.getByRole("heading", { name: bob.user.username }).count()).toBe(1);
    expect(await result.locator("mark").allTextContents()).toEqual(["Needle", "Häystack"]);
    expect(await result.textContent()).toContain(bob.user.username);
    await page.screenshot({ path: screenshotPath("search-results.png") });
    await box.press("Enter");

    await eventually(() => highlighted(page).allTextContents()).toEqual(["Needle in a Häystack, far back"]);
    expect(await bubbles(page, label(TOTAL)).count()).toBe(0);
    // Older and newer pages load when scrolling either way from the result.
    await scrollLog(page, "top");
    await eventually(() => page.getByText("This is the beginning of your conversation.").count()).toBe(1);
    for (let i = 0; i < 10 && (await bubbles(page, label(TOTAL)).count()) === 0; i++) {
      await scrollLog(page, "bottom");
      await page.waitForTimeout(300);
    }
    await bubbles(page, label(TOTAL)).waitFor();
  });

  it("jumps to the first message of a day from the chat header, loading both ways from there", async () => {
    const { page, bob } = await longChat();
    await chatLink(page, bob.user.username).click();
    await bubbles(page, label(TOTAL)).waitFor();
    await page.getByRole("button", { name: "Jump to date" }).click();
    await page.getByLabel("Date", { exact: true }).fill("2025-01-20");
    await page.screenshot({ path: screenshotPath("jump-to-date.png") });
    await page.getByRole("button", { name: "Go" }).click();
    // 2025-01-20 00:00 UTC is message 4 × 19 + 1 = 77.
    await eventually(() => highlighted(page).allTextContents()).toEqual([label(77)]);
    expect(await bubbles(page, label(TOTAL)).count()).toBe(0);
    await bubbles(page, label(60)).waitFor();
    await scrollLog(page, "top");
    await bubbles(page, label(40)).waitFor();
  });

  it("searches within the open chat from its header", async () => {
    const { page, bob } = await longChat();
    await chatLink(page, bob.user.username).click();
    await bubbles(page, label(TOTAL)).waitFor();
    await page.getByRole("button", { name: "Search in this chat" }).click();
    const box = page.getByRole("searchbox", { name: "Search in this chat" });
    await box.fill("message 150");
    const result = page.getByRole("button", { name: new RegExp(label(150)) });
    await result.click();
    await eventually(() => highlighted(page).allTextContents()).toEqual([label(150)]);
    await page.screenshot({ path: screenshotPath("search-in-chat.png") });
  });

  it("says when a refused search runs again, and runs it then", async () => {
    // Both clocks jump over the limit's minute instead of the test waiting for it.
    let skew = 0;
    const limited = await startServer({
      env: { RATE_LIMIT_SEARCHES_PER_MINUTE: "2" },
      now: () => Date.now() + skew,
    });
    try {
      const { alice, bob, chatId } = await pair(limited.url);
      const socket = await connected(limited.url, bob.cookie);
      const ack = await send(socket, { chatId, body: "a needle and a haystack", clientId: clientId() });
      if (!ack.ok) throw new Error(ack.error.message);
      const context = await newUserContext(browser, { timezoneId: "UTC" });
      await context.clock.install();
      const page = await context.newPage();
      await page.goto(limited.url);
      await logIn(page, alice);
      await chatLink(page, bob.user.username).waitFor();
      const box = page.getByRole("searchbox", { name: "Search messages" });
      const results = page.getByRole("region", { name: "Search results" });
      const answered = (q: string) =>
        page.waitForResponse((r) => new URL(r.url()).searchParams.get("q") === q);
      for (const q of ["needle", "haystack"]) {
        const answer = answered(q);
        await box.fill(q);
        expect((await answer).status()).toBe(200);
      }
      await results.getByRole("button", { name: /a needle and a haystack/ }).waitFor();
      await box.fill("needle haystack");
      const refusal = page.getByText(/^Too many searches\. Searching again in \d+ seconds?\.$/);
      await refusal.waitFor();
      const seconds = Number((await refusal.textContent())?.match(/\d+/)?.[0]);
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(60);
      await page.screenshot({ path: screenshotPath("search-rate-limited.png") });
      // Once the minute is over, the same query is asked again without the reader doing anything.
      expect(await results.getByRole("button").count()).toBe(0);
      skew = 61_000;
      await context.clock.fastForward(seconds * 1000);
      await refusal.waitFor({ state: "detached" });
      await results.getByRole("button", { name: /a needle and a haystack/ }).waitFor();
      await page.getByText("1 result", { exact: true }).waitFor();
      await context.close();
    } finally {
      await limited.close();
    }
  });
});
