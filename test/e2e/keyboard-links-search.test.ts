import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { describeIfChromium } from "../support/browser.js";
import {
  chatLink,
  chatList,
  chattingPair,
  eventually,
  expectMessageOnce,
  messageLog,
  sendText,
  serverAndBrowser,
  signUpInBrowser,
  startChat,
} from "./helpers.js";

/** Presses Tab until the element named `name` has focus (bounded), as a keyboard user would. */
async function tabTo(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el?.getAttribute("aria-label") ?? el?.textContent?.trim() ?? "";
    });
    if (focused === name) return;
  }
  throw new Error(`Tab never reached "${name}"`);
}

/** Whether the focused element shows a focus ring (outline or box-shadow). */
const focusVisible = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return false;
    const style = getComputedStyle(el);
    return (style.outlineStyle !== "none" && style.outlineWidth !== "0px") || style.boxShadow !== "none";
  });

describeIfChromium("web client: keyboard, links and search", () => {
  const env = serverAndBrowser();

  it("starts a chat and sends with the keyboard alone, with a visible focus ring; Shift+Enter makes a new line", async () => {
    const alice = await signUpInBrowser(env.browser, env.server.url, "alice");
    const bob = await signUpInBrowser(env.browser, env.server.url, "bob");
    const page = alice.page;

    await tabTo(page, "New chat");
    expect(await focusVisible(page)).toBe(true);
    await page.keyboard.press("Enter");
    await page.getByLabel("Friend's email").waitFor();
    await page.keyboard.type(bob.email);
    await page.keyboard.press("Enter");
    await messageLog(page).waitFor();

    const box = page.getByLabel("Message", { exact: true });
    await box.focus();
    await page.keyboard.type("first line");
    await page.keyboard.press("Shift+Enter");
    await page.keyboard.type("second line");
    await page.keyboard.press("Enter");
    await expectMessageOnce(alice, "first line\nsecond line");
    expect(await box.inputValue()).toBe("");
  });

  it("turns http(s) URLs into safe links and leaves other schemes as text", async () => {
    const { alice, bob } = await chattingPair(env.browser, env.server.url);
    await sendText(alice, "docs at https://example.com/glasschat?x=1 and javascript:alert(1)");
    const link = messageLog(bob.page).getByRole("link", { name: "https://example.com/glasschat?x=1" });
    await link.waitFor();
    expect(await link.getAttribute("href")).toBe("https://example.com/glasschat?x=1");
    expect(await link.getAttribute("rel")).toContain("noopener");
    expect(await link.getAttribute("rel")).toContain("noreferrer");
    expect(await messageLog(bob.page).getByRole("link").count()).toBe(1);
    expect(bob.dialogs).toEqual([]);
  });

  it("filters the chat list by name with the search box", async () => {
    const me = await signUpInBrowser(env.browser, env.server.url, "mira");
    const carol = await signUpInBrowser(env.browser, env.server.url, "carol");
    const dave = await signUpInBrowser(env.browser, env.server.url, "dave");
    await startChat(me, carol.email);
    await startChat(me, dave.email);
    await chatLink(me.page, carol.username).waitFor();
    await chatLink(me.page, dave.username).waitFor();

    await me.page.getByRole("searchbox", { name: "Search chats" }).fill("car");
    await eventually(() => chatList(me.page).getByRole("link").count()).toBe(1);
    await chatLink(me.page, carol.username).waitFor();
    await me.page.getByRole("searchbox", { name: "Search chats" }).fill("");
    await eventually(() => chatList(me.page).getByRole("link").count()).toBe(2);
  });
});
