import type { Locator, Page } from "playwright-core";
import { expect, it } from "vitest";
import { describeIfChromium } from "../support/browser.js";
import {
  bubbles,
  chatLink,
  chatRow,
  chattingPair,
  eventually,
  expectMessageOnce,
  messageLog,
  sendText,
  serverAndBrowser,
} from "./helpers.js";

const HEBREW = "שלום, מה שלומך?";

const direction = (locator: Locator) => locator.evaluate((el) => getComputedStyle(el).direction);

/** The alpha of an element's computed background colour (1 when opaque). */
const backgroundAlpha = (locator: Locator) =>
  locator.evaluate((el) => {
    const colour = getComputedStyle(el).backgroundColor;
    const parts = colour.match(/[\d.]+/g)?.map(Number) ?? [];
    return colour.startsWith("rgba") ? (parts[3] ?? 0) : parts.length >= 3 ? 1 : 0;
  });

const themeOf = (page: Page) => page.evaluate(() => document.documentElement.dataset.theme);

async function inTheme(page: Page, theme: "light" | "dark"): Promise<void> {
  if ((await themeOf(page)) !== theme) await page.getByRole("button", { name: "Toggle theme" }).click();
  await eventually(() => themeOf(page)).toBe(theme);
}

describeIfChromium("web client: right-to-left text, opaque menus, the characters-left counter", () => {
  const env = serverAndBrowser();

  it("lays Hebrew out right-to-left in the bubble, the chat-list preview and the composer", async () => {
    const { alice, bob } = await chattingPair(env.browser, env.server.url);
    await sendText(alice, HEBREW);
    await expectMessageOnce(bob, HEBREW);

    await eventually(() => direction(bubbles(bob.page, HEBREW))).toBe("rtl");
    const preview = chatLink(bob.page, alice.username).locator(".chat-preview");
    await eventually(() => preview.textContent()).toBe(HEBREW);
    await expect(direction(preview)).resolves.toBe("rtl");
    // Latin text next to it stays left-to-right.
    await expect(direction(chatLink(bob.page, alice.username).locator(".chat-title"))).resolves.toBe("ltr");

    const box = bob.page.getByLabel("Message", { exact: true });
    await box.fill(HEBREW);
    await expect(box.getAttribute("dir")).resolves.toBe("auto");
    await expect(box.evaluate((el) => el.matches(":dir(rtl)"))).resolves.toBe(true);
    await box.fill("Hello");
    await expect(box.evaluate((el) => el.matches(":dir(ltr)"))).resolves.toBe(true);
  });

  it("gives the chat menu, the message menu and the emoji picker an opaque background in both themes", async () => {
    const { alice, bob } = await chattingPair(env.browser, env.server.url);
    await sendText(alice, "Pick a reaction");
    await expectMessageOnce(alice, "Pick a reaction");
    const page = alice.page;
    const row = messageLog(page)
      .locator(".msg-row")
      .filter({ has: page.locator(".msg-body").getByText("Pick a reaction", { exact: true }) });

    for (const theme of ["dark", "light"] as const) {
      await inTheme(page, theme);

      await chatRow(page, bob.username).getByRole("button", { name: "Chat actions" }).click();
      const chatMenu = page.getByRole("menu");
      await chatMenu.waitFor();
      await expect(backgroundAlpha(chatMenu), `chat menu, ${theme}`).resolves.toBe(1);
      await page.keyboard.press("Escape");
      await chatMenu.waitFor({ state: "detached" });

      await row.hover();
      await row.getByRole("button", { name: "Message actions" }).click();
      const messageMenu = page.getByRole("menu");
      await messageMenu.waitFor();
      await expect(backgroundAlpha(messageMenu), `message menu, ${theme}`).resolves.toBe(1);
      await messageMenu.getByRole("menuitem", { name: "React", exact: true }).click();
      const picker = page.getByRole("dialog", { name: "Pick a reaction" });
      await picker.waitFor();
      await expect(backgroundAlpha(picker), `emoji picker, ${theme}`).resolves.toBe(1);
      await page.keyboard.press("Escape");
      await picker.waitFor({ state: "detached" });
    }
  });

  it("shows the characters-left counter inside the composer, clear of the messages", async () => {
    const { alice } = await chattingPair(env.browser, env.server.url);
    await sendText(alice, "The last message, right above the box");
    await expectMessageOnce(alice, "The last message, right above the box");
    const page = alice.page;
    await page.getByLabel("Message", { exact: true }).fill("x".repeat(3950));
    const counter = page.getByText("50 characters left");
    await counter.waitFor();

    const [count, list, composer] = await Promise.all([
      counter.boundingBox(),
      messageLog(page).boundingBox(),
      page.locator(".composer").boundingBox(),
    ]);
    if (!count || !list || !composer) throw new Error("an element has no box");
    const intersects =
      count.x < list.x + list.width &&
      list.x < count.x + count.width &&
      count.y < list.y + list.height &&
      list.y < count.y + count.height;
    expect(intersects).toBe(false);
    expect(count.x).toBeGreaterThanOrEqual(composer.x);
    expect(count.y).toBeGreaterThanOrEqual(composer.y);
    expect(count.x + count.width).toBeLessThanOrEqual(composer.x + composer.width);
    expect(count.y + count.height).toBeLessThanOrEqual(composer.y + composer.height);
  });
});
