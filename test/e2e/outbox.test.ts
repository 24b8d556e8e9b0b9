import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { App } from "../../src/server/app.js";
import { describeIfChromium, launchBrowser } from "../support/browser.js";
import { startServerOn } from "../support/fixed-server.js";
import { freePort } from "../support/process.js";
import { chattingPair, eventually, messageLog, sendText } from "./helpers.js";

const banner = (page: Page) => page.getByRole("status").filter({ hasText: "Connection lost" });

/** The chat's stored bodies as the server answers them to this page's user, in seq order. */
async function storedBodies(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const { chats } = (await (await fetch("/api/chats")).json()) as { chats: { id: string }[] };
    const chatId = chats[0]?.id;
    if (!chatId) return [];
    const { messages } = (await (await fetch(`/api/chats/${chatId}/messages?limit=100`)).json()) as {
      messages: { body: string }[];
    };
    return messages.map((m) => m.body);
  });
}

describeIfChromium("web client: the outbox", () => {
  let dataDir: string;
  let port: number;
  let app: App | undefined;
  let browser: Browser;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "glasschat-outbox-"));
    port = await freePort();
    app = await startServerOn(dataDir, port);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("keeps three messages written during a server outage across a closed tab, and sends each once, in order, when the server is back", async () => {
    const url = `http://127.0.0.1:${port}`;
    const { alice, bob } = await chattingPair(browser, url);

    await app?.close();
    app = undefined;
    await banner(alice.page).waitFor();
    for (const text of ["first while down", "second while down", "third while down"]) {
      await sendText(alice, text);
    }
    await eventually(() => messageLog(alice.page).locator('.msg-own[data-status="queued"]').count()).toBe(3);

    // The tab is closed while the server is still down: only IndexedDB holds the three now.
    await alice.page.close();
    app = await startServerOn(dataDir, port);

    const page = await alice.context.newPage();
    await page.goto(url);
    await page.getByRole("button", { name: "Log out" }).waitFor();
    await eventually(() => storedBodies(page)).toEqual([
      "first while down",
      "second while down",
      "third while down",
    ]);

    // Nothing is sent twice when the page loads again with an empty outbox.
    await page.reload();
    await page.getByRole("button", { name: "Log out" }).waitFor();
    await page.waitForTimeout(500);
    expect(await storedBodies(bob.page)).toEqual([
      "first while down",
      "second while down",
      "third while down",
    ]);
  });
});
