import { expect, it } from "vitest";
import { describeIfChromium } from "../support/browser.js";
import {
  acceptRequest,
  chatLink,
  chattingPair,
  eventually,
  expectMessageOnce,
  messageLog,
  openChat,
  sendText,
  serverAndBrowser,
  signUpInBrowser,
  startChat,
} from "./helpers.js";

describeIfChromium("web client: two people chatting", () => {
  const env = serverAndBrowser();

  it("signs two users up in two contexts, starts a chat by email and delivers messages live both ways", async () => {
    const alice = await signUpInBrowser(env.browser, env.server.url, "alice");
    const bob = await signUpInBrowser(env.browser, env.server.url, "bob");

    await startChat(alice, bob.email);
    await expect(alice.page.getByRole("heading", { name: bob.username }).isVisible()).resolves.toBe(true);
    // Bob's list gets the new chat live (chat:new), without a reload: a request, as they never wrote.
    await acceptRequest(bob, alice.username);

    await sendText(alice, "Hi Bob, it's Alice");
    await expectMessageOnce(bob, "Hi Bob, it's Alice");
    await expectMessageOnce(alice, "Hi Bob, it's Alice");
    // Alice's own message turns from pending to sent once the server acknowledged it.
    await messageLog(alice.page).locator('.msg-own[data-status="sent"]').first().waitFor();

    await sendText(bob, "Hello Alice!");
    await expectMessageOnce(alice, "Hello Alice!");

    // Shift+Enter is a new line, Enter sends the two lines as one message.
    const box = alice.page.getByLabel("Message", { exact: true });
    await box.fill("first line");
    await box.press("Shift+Enter");
    await box.pressSequentially("second line");
    await box.press("Enter");
    await expectMessageOnce(bob, "first line\nsecond line");

    // The list shows the last message as the preview on both sides.
    await eventually(() => chatLink(bob.page, alice.username).locator("..").textContent()).toContain(
      "second line",
    );
    expect(alice.errors).toEqual([]);
    expect(bob.errors).toEqual([]);
  });

  it("keeps the history and the session across a reload", async () => {
    const { alice, bob } = await chattingPair(env.browser, env.server.url);
    await sendText(alice, "remember me");
    await expectMessageOnce(bob, "remember me");

    await bob.page.reload();
    await bob.page.getByRole("button", { name: "Log out" }).waitFor();
    // The open chat is in the URL, so the reload lands in the same conversation.
    await expectMessageOnce(bob, "remember me");
    await alice.page.reload();
    await expectMessageOnce(alice, "remember me");
  });

  it("shows markup as literal text and never runs it", async () => {
    const { alice, bob } = await chattingPair(env.browser, env.server.url);
    const payload = "<img src=x onerror=alert(1)>";
    await sendText(alice, payload);
    await expectMessageOnce(bob, payload);
    await expectMessageOnce(alice, payload);
    await expect(messageLog(bob.page).locator("img").count()).resolves.toBe(0);
    // The preview in the list is text too.
    await eventually(() => chatLink(bob.page, alice.username).locator("..").textContent()).toContain(payload);

    await sendText(alice, "see https://example.com/path?q=1 and javascript:alert(2)");
    const link = messageLog(bob.page).getByRole("link", { name: "https://example.com/path?q=1" });
    await link.waitFor();
    await expect(link.getAttribute("rel")).resolves.toBe("noopener noreferrer");
    await expect(messageLog(bob.page).locator('a[href^="javascript"]').count()).resolves.toBe(0);

    await bob.page.reload();
    await expectMessageOnce(bob, payload);
    expect(alice.dialogs).toEqual([]);
    expect(bob.dialogs).toEqual([]);
  });

  it("counts unread messages in the list and the tab title, and clears them when the chat is opened", async () => {
    const alice = await signUpInBrowser(env.browser, env.server.url, "alice");
    const bob = await signUpInBrowser(env.browser, env.server.url, "bob");
    await startChat(alice, bob.email);
    // A message request counts in no total: Bob accepts it first, then looks at his list.
    await acceptRequest(bob, alice.username);
    await bob.page.evaluate(() => {
      window.location.hash = "#/";
    });
    await messageLog(bob.page).waitFor({ state: "detached" });

    await sendText(alice, "one");
    await expectMessageOnce(alice, "one");
    await sendText(alice, "two");
    await expectMessageOnce(alice, "two");
    await eventually(() => bob.page.title()).toBe("(2) Glasschat");
    await eventually(() => chatLink(bob.page, alice.username).getAttribute("aria-label")).toMatch(
      new RegExp(`^${alice.username}, two, .+, 2 unread$`),
    );

    await openChat(bob, alice.username);
    await expectMessageOnce(bob, "two");
    await eventually(() => bob.page.title()).toBe("Glasschat");

    // A message into the open chat is read at once, and stays read after a reload.
    await sendText(alice, "three");
    await expectMessageOnce(bob, "three");
    await expect(bob.page.title()).resolves.toBe("Glasschat");
    await bob.page.goto(env.server.url);
    await chatLink(bob.page, alice.username).waitFor();
    await eventually(() => chatLink(bob.page, alice.username).getAttribute("aria-label")).toMatch(
      new RegExp(`^${alice.username}, three, [^,]+$`),
    );
    await expect(bob.page.title()).resolves.toBe("Glasschat");
  });

  it("explains why a chat cannot be started: unknown user, own email", async () => {
    const alice = await signUpInBrowser(env.browser, env.server.url, "alice");
    const page = alice.page;
    await page.getByRole("button", { name: "New chat" }).click();
    await page.getByLabel("Friend's email").fill("nobody-here@example.com");
    await page.getByRole("button", { name: "Start chat" }).click();
    await page.getByText("Nobody has signed up with that email yet.").waitFor();
    await page.getByLabel("Friend's email").fill(alice.email.toUpperCase());
    await page.getByRole("button", { name: "Start chat" }).click();
    await page.getByText(/your own email/i).waitFor();
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "detached" });
  });

  it("shows sign-in errors inline, logs out and back in", async () => {
    const alice = await signUpInBrowser(env.browser, env.server.url, "alice");
    const { page } = alice;
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByRole("button", { name: "Log in" }).waitFor();

    // Email taken.
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByLabel("Email").fill(alice.email);
    await page.getByLabel("Username").fill(`${alice.username}x`);
    await page.getByLabel("Password").fill(alice.password);
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByText(/already exists/).waitFor();

    // Wrong password.
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByLabel("Email").fill(alice.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("alert").getByText("Wrong email or password.").waitFor();

    await page.getByLabel("Password").fill(alice.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("button", { name: "Log out" }).waitFor();
    await expect(page.getByText(alice.email).isVisible()).resolves.toBe(true);
  });
});
