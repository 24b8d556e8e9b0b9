import { expect, it } from "vitest";
import { describeIfChromium } from "../support/browser.js";
import {
  bubbles,
  chatAction,
  chatLink,
  chattingPair,
  eventually,
  expectMessageOnce,
  messageLog,
  openChat,
  requestList,
  sendText,
  serverAndBrowser,
  signUpInBrowser,
  startChat,
} from "./helpers.js";

describeIfChromium("web client: message requests and blocking", () => {
  const env = serverAndBrowser();

  it("shows a stranger's chat as a request, read-only and out of the unread total, until it is accepted", async () => {
    const alice = await signUpInBrowser(env.browser, env.server.url, "alice");
    const bob = await signUpInBrowser(env.browser, env.server.url, "bob");
    await startChat(alice, bob.email);
    await sendText(alice, "Hi Bob, we met at the meetup");
    await expectMessageOnce(alice, "Hi Bob, we met at the meetup");

    const request = requestList(bob.page).getByRole("link", { name: alice.username });
    await request.waitFor();
    await expect(chatLink(bob.page, alice.username).count()).resolves.toBe(0);
    await eventually(() => request.textContent()).toContain("Hi Bob, we met at the meetup");
    await expect(bob.page.title()).resolves.toBe("Glasschat");

    await request.click();
    await expectMessageOnce(bob, "Hi Bob, we met at the meetup");
    await expect(bob.page.getByLabel("Message", { exact: true }).count()).resolves.toBe(0);
    await bob.page.getByRole("button", { name: "Block" }).waitFor();
    await bob.page.getByRole("button", { name: "Delete" }).waitFor();
    await bob.page.getByRole("button", { name: "Accept" }).click();

    // Accepted: a chat like any other, on the server too (after a reload), and Bob can answer.
    await chatLink(bob.page, alice.username).waitFor();
    await expect(requestList(bob.page).count()).resolves.toBe(0);
    await sendText(bob, "Hi Alice!");
    await expectMessageOnce(alice, "Hi Alice!");
    await bob.page.reload();
    await chatLink(bob.page, alice.username).waitFor();
    await expect(requestList(bob.page).count()).resolves.toBe(0);
    expect([...alice.errors, ...bob.errors]).toEqual([]);
  });

  it("blocks and unblocks from the chat menu: nothing arrives while blocked, new messages after", async () => {
    const { alice, bob } = await chattingPair(env.browser, env.server.url);
    await sendText(bob, "before");
    await expectMessageOnce(alice, "before");

    await chatAction(alice, bob.username, "Block");
    await alice.page
      .getByRole("status")
      .filter({ hasText: `You blocked ${bob.username}` })
      .waitFor();
    // Bob is not told: his message is stored and shown as sent on his side.
    await sendText(bob, "while blocked");
    await messageLog(bob.page).locator('.msg-own[data-status="sent"]').nth(1).waitFor();
    await sendText(alice, "still there?");
    await expectMessageOnce(bob, "still there?");
    await expect(bubbles(alice.page, "while blocked").count()).resolves.toBe(0);
    await alice.page.reload();
    await expectMessageOnce(alice, "still there?");
    await expect(bubbles(alice.page, "while blocked").count()).resolves.toBe(0);

    await chatAction(alice, bob.username, "Unblock");
    await alice.page.getByText(`You blocked ${bob.username}`).waitFor({ state: "detached" });
    await sendText(bob, "and now?");
    await expectMessageOnce(alice, "and now?");
    await expect(bubbles(alice.page, "while blocked").count()).resolves.toBe(0);
    expect([...alice.errors, ...bob.errors]).toEqual([]);
  });

  it("lists blocked people in Settings, where Unblock lets them in again", async () => {
    const { alice, bob } = await chattingPair(env.browser, env.server.url);
    await chatAction(alice, bob.username, "Block");
    const { page } = alice;
    await page.getByRole("link", { name: "Settings" }).click();
    const section = page.getByRole("region", { name: "Blocked people" });
    await section.getByText(bob.username).waitFor();
    await section.getByRole("button", { name: `Unblock ${bob.username}` }).click();
    await section.getByText("You haven’t blocked anyone.").waitFor();
    await page.getByRole("link", { name: "Chats" }).click();
    await openChat(alice, bob.username);
    await sendText(bob, "let in again");
    await expectMessageOnce(alice, "let in again");
  });
});
