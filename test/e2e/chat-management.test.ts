import { expect, it } from "vitest";
import { describeIfChromium } from "../support/browser.js";
import {
  bubbles,
  chatAction,
  chatLink,
  chatRow,
  chattingPair,
  eventually,
  expectMessageOnce,
  messageLog,
  openChat,
  sendText,
  serverAndBrowser,
  undoOffersExpired,
} from "./helpers.js";

describeIfChromium("web client: clearing and removing chats", () => {
  const env = serverAndBrowser();

  it("clears the history for me only: the other member keeps it, new messages still arrive", async () => {
    const { alice, bob } = await chattingPair(env.browser, env.server.url);
    await sendText(alice, "before the clear");
    await expectMessageOnce(bob, "before the clear");

    await chatAction(alice, bob.username, "Clear chat");
    await alice.page.getByRole("button", { name: "Clear for me" }).click();
    await eventually(() => bubbles(alice.page, "before the clear").count()).toBe(0);
    await undoOffersExpired(alice.page);
    await messageLog(alice.page).getByText("No messages yet").waitFor();
    await eventually(() => chatRow(alice.page, bob.username).textContent()).toContain("No messages yet");

    // Bob still has it, live and after a reload; Alice's clear is stored on the env.server.
    await expectMessageOnce(bob, "before the clear");
    await bob.page.reload();
    await expectMessageOnce(bob, "before the clear");
    await alice.page.reload();
    await messageLog(alice.page).getByText("No messages yet").waitFor();
    await expect(bubbles(alice.page, "before the clear").count()).resolves.toBe(0);

    await sendText(bob, "after the clear");
    await expectMessageOnce(alice, "after the clear");
  });

  it("clears the history for everyone: both sides empty live", async () => {
    const { alice, bob } = await chattingPair(env.browser, env.server.url);
    await sendText(alice, "soon gone for both");
    await expectMessageOnce(bob, "soon gone for both");

    await chatAction(bob, alice.username, "Clear chat");
    await bob.page.getByRole("button", { name: "Clear for everyone" }).click();
    await eventually(() => bubbles(bob.page, "soon gone for both").count()).toBe(0);
    // Alice is told with chat:cleared and drops it without a reload.
    await eventually(() => bubbles(alice.page, "soon gone for both").count()).toBe(0);
    await eventually(() => chatRow(alice.page, bob.username).textContent()).toContain("No messages yet");

    await alice.page.reload();
    await messageLog(alice.page).getByText("No messages yet").waitFor();
    await sendText(alice, "a fresh start");
    await expectMessageOnce(bob, "a fresh start");
  });

  it("removes a chat from my list only; it comes back with the next message, history intact", async () => {
    const { alice, bob } = await chattingPair(env.browser, env.server.url);
    await sendText(bob, "kept on the server");
    await expectMessageOnce(alice, "kept on the server");

    await chatAction(alice, bob.username, "Remove chat");
    await chatLink(alice.page, bob.username).waitFor({ state: "detached" });
    await messageLog(alice.page).waitFor({ state: "detached" }); // the open conversation closed
    await undoOffersExpired(alice.page);
    await alice.page.reload();
    await alice.page.getByRole("button", { name: "New chat" }).waitFor();
    await expect(chatLink(alice.page, bob.username).count()).resolves.toBe(0);
    // Bob's side is untouched.
    await expectMessageOnce(bob, "kept on the server");

    await sendText(bob, "knock knock");
    await chatLink(alice.page, bob.username).waitFor();
    await eventually(() => chatLink(alice.page, bob.username).getAttribute("aria-label")).toMatch(
      new RegExp(`^${bob.username}, knock knock, .+, 1 unread$`),
    );
    await openChat(alice, bob.username);
    await expectMessageOnce(alice, "knock knock");
    await expectMessageOnce(alice, "kept on the server");
  });
});
