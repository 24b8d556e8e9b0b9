import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { describeIfChromium } from "../support/browser.js";
import {
  acceptRequest,
  bubbles,
  eventually,
  expectMessageOnce,
  messageLog,
  sendText,
  serverAndBrowser,
  signUpInBrowser,
  startChat,
} from "./helpers.js";

const PHONE = { isMobile: true, hasTouch: true };

/** Boxes of the app bar's visible parts; two that overlap mean one covers the other. */
const topbarOverlaps = (page: Page) =>
  page.evaluate(() => {
    const bar = document.querySelector(".topbar");
    if (!bar) return ["no app bar"];
    const parts = [
      ...bar.querySelectorAll<HTMLElement>(
        ".brand svg, .nav-link, .me-name, .topbar-user button, .account-button",
      ),
    ].filter((el) => el.checkVisibility());
    const found: string[] = [];
    const rects = parts.map((el) => ({ el, r: el.getBoundingClientRect() }));
    for (const [i, a] of rects.entries()) {
      if (a.r.right > window.innerWidth || a.r.left < 0) found.push(`${a.el.className} leaves the screen`);
      for (const b of rects.slice(i + 1)) {
        const apart =
          a.r.right <= b.r.left || b.r.right <= a.r.left || a.r.bottom <= b.r.top || b.r.bottom <= a.r.top;
        if (!apart) found.push(`${a.el.textContent} / ${b.el.textContent}`);
      }
    }
    return found;
  });

describeIfChromium("web client: the app bar and chat header on phones", () => {
  const env = serverAndBrowser();

  it("keeps a 32-character name off Chats/Insights at 390 px; the name, theme and Log out are in the account menu", async () => {
    const longName = "a_very_long_username_of_32_chars";
    expect(longName).toHaveLength(32);
    const user = await signUpInBrowser(env.browser, env.server.url, longName, {
      exactName: true,
      viewport: { width: 390, height: 844 },
      ...PHONE,
    });
    const { page } = user;
    await expect(topbarOverlaps(page)).resolves.toEqual([]);
    await expect(page.getByRole("button", { name: "Log out" }).count()).resolves.toBe(0);

    const account = page.getByRole("button", { name: "Account" });
    await account.click();
    await page.locator(".account-panel").getByText(longName, { exact: true }).waitFor();
    const panel = await page.locator(".account-panel").boundingBox();
    expect(panel && panel.x >= 0 && panel.x + panel.width <= 390).toBe(true);
    await page.getByRole("button", { name: "Toggle theme" }).waitFor();
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Log out" }).waitFor({ state: "hidden" });
    await expect(account.evaluate((el) => el === document.activeElement)).resolves.toBe(true);

    await account.click();
    await page.getByRole("button", { name: "Log out" }).click();
    const email = page.getByLabel("Email");
    await email.waitFor();
    // Back at the form, the email field has the focus.
    await eventually(() => email.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(user.errors).toEqual([]);
    await user.context.close();
  });

  it("fits even a short name at 320 px without overlap", async () => {
    const user = await signUpInBrowser(env.browser, env.server.url, "ann", {
      viewport: { width: 320, height: 640 },
      ...PHONE,
    });
    await expect(topbarOverlaps(user.page)).resolves.toEqual([]);
    await expect(user.page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(
      320,
    );
    await user.context.close();
  });

  it("shows only the chat header in an open chat on a phone, with Back and the chat's menu", async () => {
    const friend = await signUpInBrowser(env.browser, env.server.url, "fay");
    const phone = await signUpInBrowser(env.browser, env.server.url, "gus", {
      viewport: { width: 390, height: 844 },
      ...PHONE,
    });
    await startChat(friend, phone.email);
    await sendText(friend, "for the phone");
    await acceptRequest(phone, friend.username);
    const { page } = phone;
    await expect(page.locator(".topbar").isVisible()).resolves.toBe(false);
    const header = page.locator(".conversation-header");
    await header.getByRole("button", { name: "Back to chats" }).waitFor();
    await header.getByRole("button", { name: "Chat actions" }).click();
    await page.getByRole("menuitem", { name: "Clear chat" }).click();
    await page.getByRole("button", { name: "Clear for me" }).click();
    await eventually(() => bubbles(page, "for the phone").count()).toBe(0);

    await header.getByRole("button", { name: "Back to chats" }).click();
    await page.locator(".topbar").waitFor(); // the list has its app bar back
    await phone.context.close();
    await friend.context.close();
  });

  it("puts the chat's menu in the chat header on a wide screen too", async () => {
    const ann = await signUpInBrowser(env.browser, env.server.url, "hal");
    const ben = await signUpInBrowser(env.browser, env.server.url, "ida");
    await startChat(ann, ben.email);
    await sendText(ann, "header menu");
    await expectMessageOnce(ann, "header menu");
    await ann.page.locator(".conversation-header").getByRole("button", { name: "Chat actions" }).click();
    await ann.page.getByRole("menuitem", { name: "Remove chat" }).click();
    await messageLog(ann.page).waitFor({ state: "detached" });
    await ann.context.close();
    await ben.context.close();
  });
});
