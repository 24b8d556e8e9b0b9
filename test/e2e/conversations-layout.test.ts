import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { describeIfChromium } from "../support/browser.js";
import {
  type BrowserUser,
  eventually,
  expectMessageOnce,
  messageLog,
  openChat,
  screenshotPath,
  sendText,
  serverAndBrowser,
  signUpInBrowser,
} from "./helpers.js";

const row = (page: Page, text: string) =>
  messageLog(page)
    .locator(".msg-row")
    .filter({ has: page.locator(".msg-body").getByText(text, { exact: true }) });
const themeOf = (page: Page) => page.evaluate(() => document.documentElement.dataset.theme);
const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

async function messageAction(user: BrowserUser, text: string, action: string): Promise<void> {
  await row(user.page, text).getByRole("button", { name: "Message actions" }).click();
  await user.page.getByRole("menuitem", { name: action, exact: true }).click();
  // It cannot be taken back: a dialog asks first.
  if (action === "Delete for everyone")
    await user.page.getByRole("dialog").getByRole("button", { name: "Delete for everyone" }).click();
}

describeIfChromium("web client: groups in both themes and on a phone", () => {
  const env = serverAndBrowser();

  it("shows a group with notes, a reply, an edit, a tombstone and reactions in both themes, and works at 390 px with the keyboard", async () => {
    const ann = await signUpInBrowser(env.browser, env.server.url, "ann");
    const ben = await signUpInBrowser(env.browser, env.server.url, "ben", {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    // Keyboard only: open the dialog, fill it, create.
    const page = ann.page;
    await page.getByRole("button", { name: "New group" }).focus();
    await page.keyboard.press("Enter");
    await page.keyboard.type("Weekend hike");
    await page.keyboard.press("Tab");
    await page.keyboard.type(ben.email);
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: `Remove ${ben.email}` }).waitFor();
    await page.getByRole("button", { name: "Create group" }).focus();
    await page.keyboard.press("Enter");
    await messageLog(page).waitFor();

    await ben.page.getByRole("link", { name: "Weekend hike" }).click();
    await messageLog(ben.page).waitFor();
    await sendText(ben, "Saturday 9:00 at the station?");
    await expectMessageOnce(ann, "Saturday 9:00 at the station?");
    await messageAction(ann, "Saturday 9:00 at the station?", "Reply");
    await sendText(ann, "Works for me, I'll bring coffee");
    await sendText(ann, "Forecast says sunny");
    await expectMessageOnce(ben, "Forecast says sunny");
    await messageAction(ann, "Forecast says sunny", "Edit");
    await page.getByLabel("Message", { exact: true }).fill("Forecast says sunny all day");
    await page.getByLabel("Message", { exact: true }).press("Enter");
    await sendText(ann, "oops wrong chat");
    await messageAction(ann, "oops wrong chat", "Delete for everyone");
    await expectMessageOnce(ben, "Forecast says sunny all day");

    // Keyboard on the phone-sized window too: the actions button, arrows in the menu, the picker.
    const actions = row(ben.page, "Works for me, I'll bring coffee").getByRole("button", {
      name: "Message actions",
    });
    await actions.focus();
    await ben.page.keyboard.press("Enter");
    await ben.page.getByRole("menuitem", { name: "Reply" }).waitFor();
    await ben.page.keyboard.press("ArrowDown");
    await expect(ben.page.evaluate(() => document.activeElement?.textContent)).resolves.toBe("React");
    await ben.page.keyboard.press("Enter");
    await ben.page.getByRole("dialog", { name: "Pick a reaction" }).waitFor();
    await ben.page.keyboard.press("Enter"); // the first quick reaction has focus
    await row(ben.page, "Works for me, I'll bring coffee").getByRole("button", { name: "👍 1" }).waitFor();
    await expect(overflow(ben.page)).resolves.toBeLessThanOrEqual(0);
    await actions.click();
    await ben.page.getByRole("menuitem", { name: "React" }).click();
    await expect(overflow(ben.page)).resolves.toBeLessThanOrEqual(0);
    await ben.page.screenshot({ path: screenshotPath("group-phone-picker.png") });
    await ben.page.keyboard.press("Escape");
    await ben.page.getByRole("dialog", { name: "Pick a reaction" }).waitFor({ state: "detached" });
    await expect(ben.page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).resolves.toBe(
      "Message actions",
    );

    // Right-click on a bubble opens the same menu.
    await row(page, "Saturday 9:00 at the station?").locator("article").click({ button: "right" });
    await page
      .getByRole("menu", { name: "Message actions" })
      .getByRole("menuitem", { name: "Reply" })
      .waitFor();
    await page.keyboard.press("Escape");
    await page.getByRole("menu", { name: "Message actions" }).waitFor({ state: "detached" });

    await row(page, "Works for me, I'll bring coffee").getByRole("button", { name: "👍 1" }).click();
    await row(ben.page, "Works for me, I'll bring coffee").getByRole("button", { name: "👍 2" }).waitFor();
    await ben.page.getByRole("button", { name: "Members", exact: true }).click();
    await ben.page.getByRole("dialog", { name: "Members" }).waitFor();
    await expect(overflow(ben.page)).resolves.toBeLessThanOrEqual(0);
    await ben.page.screenshot({ path: screenshotPath("group-phone-members.png") });
    await ben.page.keyboard.press("Escape");
    await ben.page.screenshot({ path: screenshotPath("group-phone.png") });

    await page.evaluate(() => document.fonts.ready);
    await page.mouse.move(0, 0);
    await page.getByLabel("Message", { exact: true }).blur();
    const theme = await themeOf(page);
    await page.screenshot({ path: screenshotPath(`group-${theme}.png`) });
    await page.getByRole("button", { name: "Members", exact: true }).click();
    await page.screenshot({ path: screenshotPath(`group-members-${theme}.png`) });
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Toggle theme" }).click();
    await eventually(() => themeOf(page)).not.toBe(theme);
    await page.getByRole("button", { name: "Toggle theme" }).blur();
    const other = await themeOf(page);
    await page.screenshot({ path: screenshotPath(`group-${other}.png`) });
    await page.getByRole("button", { name: "Members", exact: true }).click();
    await page.screenshot({ path: screenshotPath(`group-members-${other}.png`) });
    await page.keyboard.press("Escape");
    await openChat(ann, "Weekend hike");
    expect(ann.errors).toEqual([]);
    expect(ben.errors).toEqual([]);
  }, 150_000);
});
