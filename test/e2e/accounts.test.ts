import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeIfChromium, launchBrowser, newUserContext } from "../support/browser.js";
import { linkIn, type MailServer, startMailServer, startServerWithMail } from "../support/mail.js";
import type { TestServer } from "../support/server.js";
import {
  bubbles,
  chatLink,
  eventually,
  logIn,
  openChat,
  sendText,
  signUpInBrowser,
  uniqueUser,
} from "./helpers.js";

describeIfChromium("accounts through mail links (Chromium)", () => {
  let mail: MailServer;
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    mail = await startMailServer();
    server = await startServerWithMail(mail);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await mail?.close();
  });

  it("resets a forgotten password through the mail link and logs in with the new one", async () => {
    const ann = await signUpInBrowser(browser, server.url, "ann");
    const page = ann.page;
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByRole("button", { name: "Forgot password?" }).click();
    await page.getByLabel("Email").fill(ann.email);
    await page.getByRole("button", { name: "Send the link" }).click();
    await page.getByText("If an account has this email").waitFor();

    const message = await mail.next(ann.email);
    const link = linkIn(message, `${server.url}/#/reset/`);
    await page.goto(link.href);
    await page.getByLabel("New password").fill("my new password 2");
    await page.getByRole("button", { name: "Set the new password" }).click();
    await page.getByText("Your password is changed").waitFor();
    await page.getByRole("button", { name: "Go to log in" }).click();
    await logIn(page, { email: ann.email, password: "my new password 2" });
    await page.getByRole("button", { name: "Log out" }).waitFor();
    expect(page.url()).not.toContain("reset");
    // The link was single-use.
    await page.goto(link.href);
    await page.getByLabel("New password").fill("another password 3");
    await page.getByRole("button", { name: "Set the new password" }).click();
    await page.getByText("This link is used, expired or revoked").waitFor();
    expect(ann.errors).toEqual([]);
  });

  it("invites a person without an account by email, who signs up through the link and chats", async () => {
    const ben = await signUpInBrowser(browser, server.url, "ben");
    const friend = uniqueUser("friend");
    await ben.page.getByRole("button", { name: "New chat" }).click();
    await ben.page.getByLabel("Friend's email").fill(friend.email);
    await ben.page.getByRole("button", { name: "Start chat" }).click();
    await ben.page.getByRole("button", { name: "Invite by email" }).click();
    await ben.page.getByText(`Invitation sent to ${friend.email}`).waitFor();
    await ben.page.keyboard.press("Escape");
    const pending = ben.page.getByRole("region", { name: "Invited" });
    await pending.getByText(friend.email).waitFor();

    const message = await mail.next(friend.email);
    const link = linkIn(message, `${server.url}/#/invite/`);
    const context = await newUserContext(browser);
    const page = await context.newPage();
    await page.goto(link.href);
    await page.getByText("You were invited").waitFor();
    await page.getByLabel("Email").fill(friend.email);
    await page.getByLabel("Username").fill(friend.username);
    await page.getByLabel("Password").fill(friend.password);
    await page.getByRole("button", { name: "Sign up" }).click();
    await chatLink(page, ben.username).waitFor();

    // The inviter gets the chat at once, and the invitation leaves the sidebar.
    await chatLink(ben.page, friend.username).waitFor();
    await eventually(() => pending.count()).toBe(0);
    await openChat(ben, friend.username);
    await sendText(ben, "welcome aboard");
    await chatLink(page, ben.username).click();
    await eventually(() => bubbles(page, "welcome aboard").count()).toBe(1);
    await context.close();
  });

  it("revokes a pending invitation from the sidebar", async () => {
    const cy = await signUpInBrowser(browser, server.url, "cy");
    const email = uniqueUser("later").email;
    await cy.page.getByRole("button", { name: "New chat" }).click();
    await cy.page.getByLabel("Friend's email").fill(email);
    await cy.page.getByRole("button", { name: "Start chat" }).click();
    await cy.page.getByRole("button", { name: "Invite by email" }).click();
    await cy.page.getByText(`Invitation sent to ${email}`).waitFor();
    await cy.page.keyboard.press("Escape");
    await cy.page.getByRole("button", { name: `Revoke the invitation to ${email}` }).click();
    await eventually(() => cy.page.getByRole("region", { name: "Invited" }).count()).toBe(0);
    const link = linkIn(await mail.next(email), `${server.url}/#/invite/`);
    const context = await newUserContext(browser);
    const page = await context.newPage();
    await page.goto(link.href);
    const person = uniqueUser("later");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Username").fill(person.username);
    await page.getByLabel("Password").fill(person.password);
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByText("This link is used, expired or revoked").waitFor();
    await context.close();
  });
});
