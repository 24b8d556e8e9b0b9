import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { describeIfChromium, newUserContext } from "../support/browser.js";
import {
  acceptRequest,
  chatList,
  eventually,
  expectMessageOnce,
  messageLog,
  requestList,
  screenshotPath,
  sendText,
  serverAndBrowser,
  signUpInBrowser,
  startChat,
} from "./helpers.js";

const themeOf = (page: Page) => page.evaluate(() => document.documentElement.dataset.theme);

describeIfChromium("web client: themes, phones and screenshots", () => {
  const env = serverAndBrowser();

  it("follows prefers-color-scheme on the first visit, toggles, and remembers the choice", async () => {
    const light = await newUserContext(env.browser, { colorScheme: "light" });
    const page = await light.newPage();
    await page.goto(env.server.url);
    await page.getByRole("button", { name: "Log in" }).waitFor();
    await expect(themeOf(page)).resolves.toBe("light");

    await page.getByRole("button", { name: "Toggle theme" }).click();
    await eventually(() => themeOf(page)).toBe("dark");
    await page.reload();
    await page.getByRole("button", { name: "Log in" }).waitFor();
    await expect(themeOf(page)).resolves.toBe("dark");
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundImage);
    expect(background).toContain("linear-gradient");
    expect(background).toContain("rgb(102, 126, 234)"); // #667eea
    await light.close();

    const dark = await newUserContext(env.browser, { colorScheme: "dark" });
    const darkPage = await dark.newPage();
    await darkPage.goto(env.server.url);
    await darkPage.getByRole("button", { name: "Log in" }).waitFor();
    await expect(themeOf(darkPage)).resolves.toBe("dark");
    await darkPage.getByRole("button", { name: "Toggle theme" }).click();
    await eventually(() => themeOf(darkPage)).toBe("light");
    await darkPage.reload();
    await darkPage.getByRole("button", { name: "Log in" }).waitFor();
    await expect(themeOf(darkPage)).resolves.toBe("light");
    await dark.close();
  });

  it("renders the chat screen in both themes (screenshots for the README)", async () => {
    const alice = await signUpInBrowser(env.browser, env.server.url, "alice", { exactName: true });
    const bob = await signUpInBrowser(env.browser, env.server.url, "bob", { exactName: true });
    const carol = await signUpInBrowser(env.browser, env.server.url, "carol", { exactName: true });
    await startChat(carol, alice.email);
    await sendText(carol, "Lunch tomorrow at noon?");
    await expectMessageOnce(carol, "Lunch tomorrow at noon?");

    await startChat(alice, bob.email);
    await acceptRequest(bob, "alice");
    const script: [typeof alice, string][] = [
      [alice, "Hey Bob! Did you get the server running?"],
      [bob, "Yes — it's on the little box under my desk :)"],
      [bob, "Everything stays at home:\nno cloud, no tracking."],
      [alice, "Nice. The docs are at https://example.com/glasschat if anyone asks."],
      [alice, "Let's move the team chat over this week."],
      [bob, "Deal. I'll invite everyone tonight."],
    ];
    for (const [who, text] of script) {
      await sendText(who, text);
      await expectMessageOnce(alice, text);
    }
    await expectMessageOnce(bob, "Deal. I'll invite everyone tonight.");
    await messageLog(alice.page).locator('.msg-own[data-status="pending"]').waitFor({ state: "detached" });
    await alice.page.evaluate(() => document.fonts.ready);
    await alice.page.mouse.move(0, 0);
    await alice.page.getByLabel("Message", { exact: true }).blur();

    await expect(themeOf(alice.page)).resolves.toBe("dark");
    await alice.page.screenshot({ path: screenshotPath("chat-dark.png") });
    await alice.page.getByRole("button", { name: "Toggle theme" }).click();
    await eventually(() => themeOf(alice.page)).toBe("light");
    await alice.page.getByRole("button", { name: "Toggle theme" }).blur();
    await alice.page.screenshot({ path: screenshotPath("chat-light.png") });
  });

  it("works on a 360×740 phone: list or conversation, Back returns, nothing overflows sideways", async () => {
    const friend = await signUpInBrowser(env.browser, env.server.url, "dana", { exactName: true });
    const phone = await signUpInBrowser(env.browser, env.server.url, "erin", {
      exactName: true,
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    });
    const { page } = phone;
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await expect(overflow()).resolves.toBeLessThanOrEqual(0);

    await startChat(friend, phone.email);
    await sendText(friend, "Hi Erin, testing from my laptop!");
    // Erin never wrote to Dana: her chat arrives under "Requests".
    const request = requestList(page).getByRole("link", { name: "dana" });
    await request.waitFor();
    await expect(messageLog(page).count()).resolves.toBe(0); // only the list on a phone

    await request.click();
    await expectMessageOnce(phone, "Hi Erin, testing from my laptop!");
    await expect(chatList(page).isVisible()).resolves.toBe(false);
    await page.getByRole("button", { name: "Accept" }).click();
    await sendText(phone, "Got it on my phone, looks great!");
    await expectMessageOnce(friend, "Got it on my phone, looks great!");
    await sendText(friend, "Perfect. See you at 7?");
    await expectMessageOnce(phone, "Perfect. See you at 7?");
    await expect(overflow()).resolves.toBeLessThanOrEqual(0);
    for (const name of ["Send", "Back to chats", "Chat actions"]) {
      await expect(page.getByRole("button", { name }).first().isVisible()).resolves.toBe(true);
    }
    await messageLog(page).locator('.msg-own[data-status="pending"]').waitFor({ state: "detached" });
    await page.evaluate(() => document.fonts.ready);
    await page.getByLabel("Message", { exact: true }).blur();
    await page.screenshot({ path: screenshotPath("chat-phone.png") });

    await page.getByRole("button", { name: "Back to chats" }).click();
    await chatList(page).waitFor();
    await expect(messageLog(page).count()).resolves.toBe(0);
    await expect(overflow()).resolves.toBeLessThanOrEqual(0);
  });
});
