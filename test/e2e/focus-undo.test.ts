import type { Locator, Page } from "playwright-core";
import { expect, it } from "vitest";
import { describeIfChromium } from "../support/browser.js";
import {
  acceptRequest,
  bubbles,
  chatAction,
  chatLink,
  chatRow,
  eventually,
  expectMessageOnce,
  messageLog,
  openChat,
  sendText,
  serverAndBrowser,
  signUpInBrowser,
  startChat,
  undoOffersExpired,
} from "./helpers.js";

const isFocused = (locator: Locator) => locator.evaluate((el) => el === document.activeElement);
const expectFocus = (locator: Locator) => eventually(() => isFocused(locator)).toBe(true);
const composer = (page: Page) => page.getByLabel("Message", { exact: true });
const toasts = (page: Page) => page.getByRole("region", { name: "Notifications" });

describeIfChromium("web client: focus after dialogs, undo for remove and clear", () => {
  const env = serverAndBrowser();

  it("returns focus to what opened a dialog and focuses the composer when a chat opens", async () => {
    const ann = await signUpInBrowser(env.browser, env.server.url, "ann");
    const ben = await signUpInBrowser(env.browser, env.server.url, "ben");
    const { page } = ann;
    // Signed up: the first useful control has the focus, not the page.
    await expectFocus(page.getByRole("button", { name: "New chat" }));

    for (const name of ["New chat", "New group"]) {
      const opener = page.getByRole("button", { name });
      await opener.click();
      await page.getByRole("dialog").waitFor();
      await page.keyboard.press("Escape");
      await page.getByRole("dialog").waitFor({ state: "detached" });
      await expectFocus(opener);
    }

    await startChat(ann, ben.email);
    await expectFocus(composer(page));

    // Clear, opened from a menu item that is gone: back to the menu's button.
    await chatAction(ann, ben.username, "Clear chat");
    await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
    await expectFocus(chatRow(page, ben.username).getByRole("button", { name: "Chat actions" }));

    // Members of a group.
    await page.getByRole("button", { name: "New group" }).click();
    await page.getByLabel("Group name").fill("Focus club");
    await page.getByLabel("Add people").fill(ben.email);
    await page.getByLabel("Add people").press("Enter");
    await page.getByRole("button", { name: "Create group" }).click();
    await expectFocus(composer(page));
    const members = page.getByRole("button", { name: "Members", exact: true });
    await members.click();
    await page.getByRole("dialog").waitFor();
    await page.keyboard.press("Escape");
    await expectFocus(members);

    // Opening another chat from the list: straight to the composer.
    await openChat(ann, ben.username);
    await expectFocus(composer(page));
    expect(ann.errors).toEqual([]);
  });

  it("removes a chat only when the undo offer expires; Undo (by keyboard) brings it back untouched", async () => {
    const cat = await signUpInBrowser(env.browser, env.server.url, "cat");
    const dan = await signUpInBrowser(env.browser, env.server.url, "dan");
    await startChat(cat, dan.email);
    await sendText(cat, "still here");
    await expectMessageOnce(cat, "still here");
    const { page } = cat;

    await chatAction(cat, dan.username, "Remove chat");
    await chatLink(page, dan.username).waitFor({ state: "detached" });
    const status = toasts(page).getByRole("status");
    await status.getByText(`Chat with ${dan.username} removed.`).waitFor();
    await expect(status.getAttribute("aria-live")).resolves.toBe("polite");
    // The menu went with its row: "Undo" has the focus, Enter takes it.
    await expectFocus(toasts(page).getByRole("button", { name: "Undo" }));
    await page.keyboard.press("Enter");
    await chatLink(page, dan.username).waitFor();
    // It was the open chat: it opens again, ready to type.
    await expectMessageOnce(cat, "still here");
    await expectFocus(composer(page));
    // Past the offer's time nothing reached the server: after a reload the chat is still listed.
    await page.waitForTimeout(5500);
    await page.goto(env.server.url);
    await chatLink(page, dan.username).waitFor();

    // Not the open chat this time: Undo puts the focus on its link; then removed for real.
    await chatAction(cat, dan.username, "Remove chat");
    await toasts(page).getByRole("button", { name: "Undo" }).press("Enter");
    await expectFocus(chatLink(page, dan.username));
    await chatAction(cat, dan.username, "Remove chat");
    await chatLink(page, dan.username).waitFor({ state: "detached" });
    await undoOffersExpired(page);
    await expectFocus(page.getByRole("button", { name: "New chat" }));
    await page.reload();
    await page.getByRole("button", { name: "New chat" }).waitFor();
    await expect(chatLink(page, dan.username).count()).resolves.toBe(0);
    expect(cat.errors).toEqual([]);
  });

  it("clears for me with an undo offer: Undo keeps the history on the server", async () => {
    const eve = await signUpInBrowser(env.browser, env.server.url, "eve");
    const fay = await signUpInBrowser(env.browser, env.server.url, "fay");
    await startChat(eve, fay.email);
    await sendText(eve, "worth keeping");
    await expectMessageOnce(eve, "worth keeping");
    const { page } = eve;

    await chatAction(eve, fay.username, "Clear chat");
    await page.getByRole("button", { name: "Clear for me" }).click();
    await eventually(() => bubbles(page, "worth keeping").count()).toBe(0);
    await toasts(page).getByText(`Chat with ${fay.username} cleared for you.`).waitFor();
    await toasts(page).getByRole("button", { name: "Undo" }).click();
    await expectMessageOnce(eve, "worth keeping");
    await page.waitForTimeout(5500);
    await page.reload();
    await expectMessageOnce(eve, "worth keeping");
  });

  it("styles destructive items as such and confirms Delete for everyone, focus back on the message's button", async () => {
    const gus = await signUpInBrowser(env.browser, env.server.url, "gus");
    const hal = await signUpInBrowser(env.browser, env.server.url, "hal");
    await startChat(gus, hal.email);
    await acceptRequest(hal, gus.username);
    await sendText(gus, "think twice");
    await expectMessageOnce(hal, "think twice");
    const { page } = gus;

    await chatRow(page, hal.username).getByRole("button", { name: "Chat actions" }).click();
    const colour = (name: string) =>
      page.getByRole("menuitem", { name }).evaluate((el) => getComputedStyle(el).color);
    const danger = await page.evaluate(() =>
      getComputedStyle(document.documentElement).getPropertyValue("--danger-text").trim(),
    );
    expect(await colour("Remove chat")).not.toBe(await colour("Clear chat"));
    expect(danger).not.toBe("");
    await page.keyboard.press("Escape");

    const row = messageLog(page).locator(".msg-row").filter({ hasText: "think twice" });
    const actions = row.getByRole("button", { name: "Message actions" });
    await actions.click();
    await page.getByRole("menuitem", { name: "Delete for everyone" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete this message for everyone?" });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expectFocus(actions);
    await expect(bubbles(hal.page, "think twice").count()).resolves.toBe(1);

    await actions.click();
    await page.getByRole("menuitem", { name: "Delete for everyone" }).click();
    await dialog.getByRole("button", { name: "Delete for everyone" }).click();
    await eventually(() => bubbles(hal.page, "think twice").count()).toBe(0);
    expect(gus.dialogs).toEqual([]);
  });
});
