import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { describeIfChromium } from "../support/browser.js";
import { clientId, connected, send } from "../support/client.js";
import {
  type BrowserUser,
  bubbles,
  chatAction,
  chatLink,
  eventually,
  expectMessageOnce,
  messageLog,
  openChat,
  sendText,
  serverAndBrowser,
  signUpInBrowser,
} from "./helpers.js";

/** Long scenarios with three or four browsers: more room than the suite default. */
const SCENARIO_MS = 150_000;

const row = (page: Page, text: string) =>
  messageLog(page)
    .locator(".msg-row")
    .filter({ has: page.locator(".msg-body").getByText(text, { exact: true }) });
const note = (page: Page, text: string | RegExp) =>
  messageLog(page).getByRole("note").filter({ hasText: text });
const membersDialog = (page: Page) => page.getByRole("dialog", { name: "Members" });

async function messageAction(user: BrowserUser, text: string, action: string): Promise<void> {
  await row(user.page, text).getByRole("button", { name: "Message actions" }).click();
  await user.page.getByRole("menuitem", { name: action, exact: true }).click();
  // It cannot be taken back: a dialog asks first.
  if (action === "Delete for everyone")
    await user.page.getByRole("dialog").getByRole("button", { name: "Delete for everyone" }).click();
}

async function createGroup(owner: BrowserUser, title: string, members: BrowserUser[]): Promise<void> {
  const page = owner.page;
  await page.getByRole("button", { name: "New group" }).click();
  await page.getByLabel("Group name").fill(title);
  for (const m of members) {
    await page.getByLabel("Add people").fill(m.email);
    await page.getByLabel("Add people").press("Enter");
  }
  await page.getByRole("button", { name: "Create group" }).click();
  await messageLog(page).waitFor();
}

async function openMembers(user: BrowserUser): Promise<void> {
  await user.page.getByRole("button", { name: "Members", exact: true }).click();
  await membersDialog(user.page).waitFor();
}

describeIfChromium("web client: groups and conversations", () => {
  const env = serverAndBrowser();

  it(
    "creates a group of three, renames it, adds and removes a member (who loses the chat live), and a member leaves",
    async () => {
      const ann = await signUpInBrowser(env.browser, env.server.url, "ann");
      const ben = await signUpInBrowser(env.browser, env.server.url, "ben");
      const cat = await signUpInBrowser(env.browser, env.server.url, "cat");
      const dan = await signUpInBrowser(env.browser, env.server.url, "dan");

      // An unknown email is flagged inline on its chip; removing it lets the group be created.
      const page = ann.page;
      await page.getByRole("button", { name: "New group" }).click();
      await page.getByLabel("Group name").fill("Club");
      for (const email of [ben.email, "nobody.here@example.com", cat.email]) {
        await page.getByLabel("Add people").fill(email);
        await page.getByLabel("Add people").press("Enter");
      }
      await page.getByRole("button", { name: "Create group" }).click();
      const chips = page.getByRole("list", { name: "People to add" });
      await chips
        .getByRole("listitem")
        .filter({ hasText: "nobody.here@example.com" })
        .getByText("No account")
        .waitFor();
      await expect(chips.getByText("No account").count()).resolves.toBe(1);
      await page.getByRole("button", { name: "Remove nobody.here@example.com" }).click();
      await page.getByRole("button", { name: "Create group" }).click();
      await messageLog(page).waitFor();
      await note(page, `created the group “Club”`).waitFor();

      // The others get it live.
      await chatLink(ben.page, "Club").waitFor();
      await chatLink(cat.page, "Club").waitFor();
      await openChat(ben, "Club");
      await openChat(cat, "Club");
      await sendText(ben, "hello club");
      await expectMessageOnce(ann, "hello club");
      await expectMessageOnce(cat, "hello club");

      // Rename: everyone's list and header follow; a note in the timeline.
      await openMembers(ann);
      const dialog = membersDialog(page);
      await expect(dialog.getByRole("listitem").count()).resolves.toBe(3);
      await dialog.getByLabel("Group name").fill("Book club");
      await dialog.getByRole("button", { name: "Rename group" }).click();
      await chatLink(ben.page, "Book club").waitFor();
      await chatLink(cat.page, "Book club").waitFor();
      await note(ben.page, "renamed the group to “Book club”").waitFor();

      // Add a member: they get the chat live, and see it from the note that added them.
      await dialog.getByLabel("Add member").fill(dan.email);
      await dialog.getByRole("button", { name: "Add member" }).click();
      await dialog.getByRole("listitem", { name: dan.username }).waitFor();
      await chatLink(dan.page, "Book club").waitFor();
      await openChat(dan, "Book club");
      await note(dan.page, "added you").waitFor();
      await expect(bubbles(dan.page, "hello club").count()).resolves.toBe(0);
      await note(cat.page, `added ${dan.username}`).waitFor();

      // Make an admin: the role shows; the admin sees the owner's controls except roles.
      await dialog
        .getByRole("listitem", { name: ben.username })
        .getByRole("button", { name: "Make admin" })
        .click();
      await dialog.getByRole("listitem", { name: ben.username }).getByText("Admin").waitFor();

      // Remove the new member: their screen loses the chat live.
      await dialog
        .getByRole("listitem", { name: dan.username })
        .getByRole("button", { name: "Remove" })
        .click();
      await dialog.getByRole("listitem", { name: dan.username }).waitFor({ state: "detached" });
      await chatLink(dan.page, "Book club").waitFor({ state: "detached" });
      await messageLog(dan.page).waitFor({ state: "detached" });
      await note(ben.page, `removed ${dan.username}`).waitFor();
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "detached" });

      // A plain member sees no controls their role may not use.
      await openMembers(cat);
      const catDialog = membersDialog(cat.page);
      await expect(catDialog.getByRole("button", { name: "Remove" }).count()).resolves.toBe(0);
      await expect(catDialog.getByRole("button", { name: "Make admin" }).count()).resolves.toBe(0);
      await expect(catDialog.getByRole("button", { name: "Rename group" }).count()).resolves.toBe(0);
      await expect(catDialog.getByRole("button", { name: "Add member" }).count()).resolves.toBe(0);

      await cat.page.keyboard.press("Escape");
      // Nor clearing the group for everyone (owner and admins only).
      await chatAction(cat, "Book club", "Clear chat");
      await cat.page.getByRole("button", { name: "Clear for me" }).waitFor();
      await expect(cat.page.getByRole("button", { name: "Clear for everyone" }).count()).resolves.toBe(0);
      await cat.page.getByRole("button", { name: "Cancel" }).click();
      await openMembers(cat);

      // Leaving asks first.
      await catDialog.getByRole("button", { name: "Leave group" }).click();
      await catDialog.getByRole("button", { name: "Leave", exact: true }).click();
      await chatLink(cat.page, "Book club").waitFor({ state: "detached" });
      await note(ann.page, `${cat.username} left the group`).waitFor();

      // After a reload the removed and the left stay out; the others keep the group.
      await dan.page.reload();
      await dan.page.getByRole("button", { name: "Log out" }).waitFor();
      await expect(chatLink(dan.page, "Book club").count()).resolves.toBe(0);
      await sendText(ann, "still here");
      await expectMessageOnce(ben, "still here");
      for (const u of [ann, ben, cat, dan]) expect(u.errors).toEqual([]);
    },
    SCENARIO_MS,
  );

  it(
    "replies, edits, deletes for me and for everyone, and reacts, live on every member's screen",
    async () => {
      const ann = await signUpInBrowser(env.browser, env.server.url, "ann");
      const ben = await signUpInBrowser(env.browser, env.server.url, "ben");
      const cat = await signUpInBrowser(env.browser, env.server.url, "cat");
      await createGroup(ann, "Trio", [ben, cat]);
      await openChat(ben, "Trio");
      await openChat(cat, "Trio");

      await sendText(ben, "who brings the cake?");
      await expectMessageOnce(ann, "who brings the cake?");

      // Reply: the quote shows the original; clicking it goes there.
      await messageAction(ann, "who brings the cake?", "Reply");
      await ann.page.getByText(`Replying to ${ben.username}`).waitFor();
      await sendText(ann, "I do");
      await expectMessageOnce(cat, "I do");
      const quote = row(cat.page, "I do").getByRole("button", { name: /Quoted message from/ });
      await expect(quote.textContent()).resolves.toContain("who brings the cake?");
      await quote.click();
      await row(cat.page, "who brings the cake?").locator(".msg.is-highlighted").waitFor();

      // Edit through the menu: "edited" everywhere, and the reply's quote follows.
      await sendText(ann, "see you at 7");
      await expectMessageOnce(ben, "see you at 7");
      await messageAction(ann, "see you at 7", "Edit");
      const box = ann.page.getByLabel("Message", { exact: true });
      await expect(box.inputValue()).resolves.toBe("see you at 7");
      await box.fill("see you at 8");
      await box.press("Enter");
      await expectMessageOnce(ben, "see you at 8");
      await row(ben.page, "see you at 8").locator(".msg-edited").waitFor();
      await expect(bubbles(ben.page, "see you at 7").count()).resolves.toBe(0);

      // Up-arrow in the empty box edits my last message; Escape cancels.
      await box.focus();
      await expect(box.inputValue()).resolves.toBe("");
      await box.press("ArrowUp");
      await ann.page.getByText("Editing message").waitFor();
      await expect(box.inputValue()).resolves.toBe("see you at 8");
      await box.press("Escape");
      await ann.page.getByText("Editing message").waitFor({ state: "detached" });
      await expect(box.inputValue()).resolves.toBe("");
      // A draft survives editing another message.
      await box.fill("half a thought");
      await messageAction(ann, "see you at 8", "Edit");
      await expect(box.inputValue()).resolves.toBe("see you at 8");
      await box.press("Escape");
      await expect(box.inputValue()).resolves.toBe("half a thought");
      await box.fill("");

      // Ben edits the replied-to message: the quote on Cat's screen follows it.
      await messageAction(ben, "who brings the cake?", "Edit");
      const benBox = ben.page.getByLabel("Message", { exact: true });
      await benBox.fill("who brings the pie?");
      await benBox.press("Enter");
      await eventually(() => quote.textContent()).toContain("who brings the pie?");

      // Delete for me: gone here only.
      await messageAction(cat, "who brings the pie?", "Delete for me");
      await eventually(() => bubbles(cat.page, "who brings the pie?").count()).toBe(0);
      await expectMessageOnce(ann, "who brings the pie?");

      // Delete for everyone: a tombstone everywhere, and no such item for what I may not delete.
      await row(cat.page, "see you at 8").getByRole("button", { name: "Message actions" }).click();
      await expect(cat.page.getByRole("menuitem", { name: "Delete for everyone" }).count()).resolves.toBe(0);
      await expect(cat.page.getByRole("menuitem", { name: "Edit" }).count()).resolves.toBe(0);
      await cat.page.keyboard.press("Escape");
      await messageAction(ann, "see you at 8", "Delete for everyone");
      for (const u of [ann, ben, cat]) {
        await eventually(() => bubbles(u.page, "see you at 8").count()).toBe(0);
        await messageLog(u.page).getByText("This message was deleted").first().waitFor();
      }

      // React: the picker, chips with counts, who reacted, toggling my own.
      await messageAction(cat, "I do", "React");
      const picker = cat.page.getByRole("dialog", { name: "Pick a reaction" });
      await picker.getByLabel("Search emoji").fill("party");
      await picker.getByRole("button", { name: "tada party popper" }).click();
      await row(ann.page, "I do").getByRole("button", { name: "🎉 1" }).waitFor();
      await messageAction(ben, "I do", "React");
      await ben.page
        .getByRole("dialog", { name: "Pick a reaction" })
        .getByRole("button", { name: "thumbs up" })
        .click();
      await row(ben.page, "I do").getByRole("button", { name: "👍 1" }).waitFor();
      // Ann adds hers by clicking the chip: 2; who reacted shows on focus.
      const chip = row(ann.page, "I do").getByRole("button", { name: "👍 1" });
      await chip.click();
      const chip2 = row(ann.page, "I do").getByRole("button", { name: "👍 2" });
      await chip2.waitFor();
      await expect(chip2.getAttribute("aria-pressed")).resolves.toBe("true");
      await chip2.focus();
      const who = row(ann.page, "I do").getByRole("tooltip").filter({ hasText: ben.username });
      await expect(who.textContent()).resolves.toContain("You");
      await row(cat.page, "I do").getByRole("button", { name: "👍 2" }).waitFor();
      // Clicking my own again takes it back.
      await chip2.click();
      await row(cat.page, "I do").getByRole("button", { name: "👍 1" }).waitFor();
      for (const u of [ann, ben, cat]) expect(u.errors).toEqual([]);
    },
    SCENARIO_MS,
  );

  it(
    "a reply's quote loads older pages until the original is there, then scrolls to it",
    async () => {
      const ann = await signUpInBrowser(env.browser, env.server.url, "ann");
      const ben = await signUpInBrowser(env.browser, env.server.url, "ben");
      await createGroup(ann, "Long", [ben]);
      await sendText(ann, "the very first word");
      await expectMessageOnce(ann, "the very first word");
      // Once acknowledged the bubble carries the server's id.
      const firstId = await row(ann.page, "the very first word")
        .locator("article[data-message-id]")
        .getAttribute("data-message-id");
      // 120 messages from Ben's own socket (outside the browser), then a reply to the first one.
      const cookies = await ben.context.cookies();
      const cookie = cookies.map((c) => `${c.name}=${c.value}`).join("; ");
      const socket = await connected(env.server.url, cookie);
      const chatId = new URL(ann.page.url()).hash.split("/").at(-1) ?? "";
      for (let i = 0; i < 120; i++) {
        await send(socket, { chatId: decodeURIComponent(chatId), body: `filler ${i}`, clientId: clientId() });
      }
      const ack = await send(socket, {
        chatId: decodeURIComponent(chatId),
        body: "answering the first",
        clientId: clientId(),
        replyTo: firstId,
      });
      expect(ack).toMatchObject({ ok: true });
      socket.disconnect();

      await openChat(ben, "Long");
      await expectMessageOnce(ben, "answering the first");
      await expect(bubbles(ben.page, "the very first word").count()).resolves.toBe(0);
      await row(ben.page, "answering the first")
        .getByRole("button", { name: /Quoted message from/ })
        .click();
      await row(ben.page, "the very first word").locator(".msg.is-highlighted").waitFor();
      expect(ben.errors).toEqual([]);
    },
    SCENARIO_MS,
  );

  it(
    "an offline tab catches up on edits, deletes and reactions made while it was away, without a reload",
    async () => {
      const ann = await signUpInBrowser(env.browser, env.server.url, "ann");
      const ben = await signUpInBrowser(env.browser, env.server.url, "ben");
      await createGroup(ann, "Tunnel", [ben]);
      await openChat(ben, "Tunnel");
      for (const text of ["to be edited", "to be deleted", "to be liked", "hidden elsewhere"]) {
        await sendText(ann, text);
        await expectMessageOnce(ben, text);
      }
      // Ben's second tab: what he does there while the first tab is offline must reach it too.
      const benTab2 = await ben.context.newPage();
      const offlineTab = ben.page;

      await ben.context.setOffline(true);
      await offlineTab.getByRole("status").filter({ hasText: "Connection lost" }).waitFor();

      await messageAction(ann, "to be edited", "Edit");
      const box = ann.page.getByLabel("Message", { exact: true });
      await box.fill("edited in the tunnel");
      await box.press("Enter");
      await row(ann.page, "edited in the tunnel").locator(".msg-edited").waitFor();
      await messageAction(ann, "to be deleted", "Delete for everyone");
      await eventually(() => bubbles(ann.page, "to be deleted").count()).toBe(0);
      await messageAction(ann, "to be liked", "React");
      await ann.page
        .getByRole("dialog", { name: "Pick a reaction" })
        .getByRole("button", { name: "red heart" })
        .click();
      await row(ann.page, "to be liked").getByRole("button", { name: "❤️ 1" }).waitFor();
      await sendText(ann, "new while away");
      await expectMessageOnce(ann, "new while away");

      // Ben's other tab is offline too (same context); bring only the API view to it afterwards.
      await ben.context.setOffline(false);
      await offlineTab
        .getByRole("status")
        .filter({ hasText: "Connection lost" })
        .waitFor({ state: "detached" });
      await expectMessageOnce(ben, "edited in the tunnel");
      await row(offlineTab, "edited in the tunnel").locator(".msg-edited").waitFor();
      await eventually(() => bubbles(offlineTab, "to be deleted").count()).toBe(0);
      await messageLog(offlineTab).getByText("This message was deleted").waitFor();
      await row(offlineTab, "to be liked").getByRole("button", { name: "❤️ 1" }).waitFor();
      await expectMessageOnce(ben, "new while away");

      // A second outage: what Ben himself does on another tab (delete for me) reaches this one.
      await offlineTab.evaluate(() => window.dispatchEvent(new Event("offline")));
      await offlineTab.getByRole("status").filter({ hasText: "Connection lost" }).waitFor();
      await benTab2.goto(env.server.url);
      await openChat({ ...ben, page: benTab2 }, "Tunnel");
      await messageAction({ ...ben, page: benTab2 }, "hidden elsewhere", "Delete for me");
      await eventually(() => bubbles(benTab2, "hidden elsewhere").count()).toBe(0);
      await messageAction(ann, "edited in the tunnel", "Edit");
      await box.fill("edited twice");
      await box.press("Enter");
      await offlineTab.evaluate(() => window.dispatchEvent(new Event("online")));
      await offlineTab
        .getByRole("status")
        .filter({ hasText: "Connection lost" })
        .waitFor({ state: "detached" });
      await eventually(() => bubbles(offlineTab, "hidden elsewhere").count()).toBe(0);
      await expectMessageOnce(ben, "edited twice");

      // Removed while offline: the chat leaves this screen as soon as the tab is back.
      await ben.context.setOffline(true);
      await offlineTab.getByRole("status").filter({ hasText: "Connection lost" }).waitFor();
      await openMembers(ann);
      await membersDialog(ann.page)
        .getByRole("listitem", { name: ben.username })
        .getByRole("button", { name: "Remove" })
        .click();
      await membersDialog(ann.page)
        .getByRole("listitem", { name: ben.username })
        .waitFor({ state: "detached" });
      await ben.context.setOffline(false);
      await chatLink(offlineTab, "Tunnel").waitFor({ state: "detached" });
      await messageLog(offlineTab).waitFor({ state: "detached" });
      expect(ben.errors).toEqual([]);
    },
    SCENARIO_MS,
  );
});
