import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { launchBrowser, newUserContext } from "../support/browser.js";
import { startServer, type TestServer } from "../support/server.js";

/** The README's screenshots are refreshed on request (UPDATE_SCREENSHOTS=1); other runs keep theirs apart. */
export const SCREENSHOTS = new URL(
  process.env.UPDATE_SCREENSHOTS === "1" ? "../../docs/screenshots/" : "../../test-results/screenshots/",
  import.meta.url,
).pathname;

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return `${SCREENSHOTS}${name}`;
}

/**
 * The real server (in-process, fresh SQLite) and one Chromium for a suite; read them from the
 * returned object inside tests (they exist once `beforeAll` has run).
 */
export function serverAndBrowser(): { server: TestServer; browser: Browser } {
  const env = {} as { server: TestServer; browser: Browser };
  beforeAll(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

export interface BrowserUser {
  context: BrowserContext;
  page: Page;
  email: string;
  username: string;
  password: string;
  /** Every alert/confirm/prompt the page opened (none expected, ever). */
  dialogs: string[];
  /** Uncaught page errors. */
  errors: string[];
}

const POLL = { timeout: 10_000, interval: 50 };

/** Polls until the assertion holds (Playwright auto-waiting's counterpart for computed values). */
export function eventually<T>(fn: () => T | Promise<T>) {
  return expect.poll(fn, POLL);
}

export function uniqueUser(name: string) {
  const suffix = randomBytes(3).toString("hex");
  return {
    email: `${name}.${suffix}@example.com`,
    username: `${name}_${suffix}`,
    password: "correct horse battery",
  };
}

/** Fills in and sends the log-in form the page shows. */
export async function logIn(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Log in" }).click();
}

/** Opens a fresh context (own cookies) and signs a new user up through the UI. */
export async function signUpInBrowser(
  browser: Browser,
  baseUrl: string,
  name: string,
  options: Parameters<typeof newUserContext>[1] & { exactName?: boolean } = {},
): Promise<BrowserUser> {
  const { exactName, ...contextOptions } = options;
  const context = await newUserContext(browser, contextOptions);
  const page = await context.newPage();
  const creds = exactName
    ? { email: `${name}@example.com`, username: name, password: "correct horse battery" }
    : uniqueUser(name);
  const user: BrowserUser = { context, page, ...creds, dialogs: [], errors: [] };
  page.on("dialog", (dialog) => {
    user.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on("pageerror", (error) => user.errors.push(error.message));
  await page.goto(baseUrl);
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.getByLabel("Email").fill(creds.email);
  await page.getByLabel("Username").fill(creds.username);
  await page.getByLabel("Password").fill(creds.password);
  await page.getByRole("button", { name: "Sign up" }).click();
  // "Log out" sits in the account menu on phones; "New chat" shows at every width.
  await page.getByRole("button", { name: "New chat" }).waitFor();
  return user;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export const chatList = (page: Page) => page.getByRole("list", { name: "Chats" });
export const messageLog = (page: Page) => page.getByRole("log", { name: "Messages" });
/** A chat's link: its name starts with the title (then preview, time, unread). */
export const chatLink = (page: Page, title: string) =>
  chatList(page).getByRole("link", { name: new RegExp(`^${escapeRegExp(title)},`) });

/** Waits until every undo offer has expired (its action then reached the server). */
export async function undoOffersExpired(page: Page): Promise<void> {
  await page.locator(".toast").first().waitFor({ state: "detached", timeout: 15_000 });
}

/** The message bubbles whose text is exactly `text`. */
export const bubbles = (page: Page, text: string): Locator =>
  messageLog(page).locator(".msg-body").getByText(text, { exact: true });

/** Starts a direct chat through the "New chat" dialog; the chat opens. */
export async function startChat(user: BrowserUser, friendEmail: string): Promise<void> {
  await user.page.getByRole("button", { name: "New chat" }).click();
  await user.page.getByLabel("Friend's email").fill(friendEmail);
  await user.page.getByRole("button", { name: "Start chat" }).click();
  await messageLog(user.page).waitFor();
}

/** The chat's row in the list ("Chat actions" menu lives there). */
export const chatRow = (page: Page, title: string) =>
  chatList(page)
    .getByRole("listitem")
    .filter({ has: page.getByRole("link", { name: new RegExp(`^${escapeRegExp(title)},`) }) });

/** Chooses an item of a chat's menu in the list. */
export async function chatAction(
  user: BrowserUser,
  title: string,
  action: "Clear chat" | "Remove chat" | "Block" | "Unblock",
): Promise<void> {
  await chatRow(user.page, title).getByRole("button", { name: "Chat actions" }).click();
  await user.page.getByRole("menuitem", { name: action }).click();
}

export async function openChat(user: BrowserUser, title: string): Promise<void> {
  await chatLink(user.page, title).click();
  await messageLog(user.page).waitFor();
}

/** Types into the message box and presses Enter. */
export async function sendText(user: BrowserUser, text: string): Promise<void> {
  const box = user.page.getByLabel("Message", { exact: true });
  await box.fill(text);
  await box.press("Enter");
}

/** Waits until exactly one bubble shows `text` (live delivery, no duplicates). */
export async function expectMessageOnce(user: BrowserUser, text: string): Promise<void> {
  await bubbles(user.page, text).first().waitFor();
  await eventually(() => bubbles(user.page, text).count()).toBe(1);
}

export const requestList = (page: Page) => page.getByRole("list", { name: "Requests" });

/** Opens a message request from the "Requests" section and accepts it: it becomes a chat. */
export async function acceptRequest(user: BrowserUser, title: string): Promise<void> {
  await requestList(user.page).getByRole("link", { name: title }).click();
  await messageLog(user.page).waitFor();
  await user.page.getByRole("button", { name: "Accept" }).click();
  await user.page.getByLabel("Message", { exact: true }).waitFor();
}

/**
 * A chat between two freshly signed-up users, opened on both sides. Bob never wrote to Alice, so
 * her chat reaches him as a message request: he accepts it.
 */
export async function chattingPair(browser: Browser, baseUrl: string) {
  const alice = await signUpInBrowser(browser, baseUrl, "alice");
  const bob = await signUpInBrowser(browser, baseUrl, "bob");
  await startChat(alice, bob.email);
  await acceptRequest(bob, alice.username);
  return { alice, bob };
}
