import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { describeIfChromium } from "../support/browser.js";
import {
  acceptRequest,
  expectMessageOnce,
  messageLog,
  sendText,
  serverAndBrowser,
  signUpInBrowser,
  startChat,
} from "./helpers.js";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface Finding {
  screen: string;
  rule: string;
  impact: string;
  targets: string[];
}

/** Serious and critical axe findings on the page as it is now (the label/name rule included). */
async function audit(page: Page, screen: string): Promise<Finding[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<AxeResult> } })
      .axe;
    type AxeResult = {
      violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[];
    };
    const result = await axe.run(document, {
      rules: { "label-content-name-mismatch": { enabled: true } },
      resultTypes: ["violations"],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? "",
      targets: v.nodes.map((n) => n.target.join(" ")),
    }));
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ screen, rule: v.id, impact: v.impact, targets: v.targets.slice(0, 5) }));
}

/** A level-one heading, which axe reports only as a best practice. */
/** Our CSP forbids inline scripts (rightly); only these audit contexts let axe's source in. */
const AUDIT = { bypassCSP: true } as const;

const hasHeadingOne = (page: Page) => page.getByRole("heading", { level: 1 }).count();

describeIfChromium("web client: axe-core on every screen in both themes", () => {
  const env = serverAndBrowser();

  for (const colorScheme of ["dark", "light"] as const) {
    it(`has no serious or critical violation on any screen (${colorScheme})`, {
      timeout: 120_000,
    }, async () => {
      const findings: Finding[] = [];
      const missingH1: string[] = [];
      const check = async (page: Page, screen: string) => {
        findings.push(...(await audit(page, screen)));
        if ((await hasHeadingOne(page)) === 0) missingH1.push(screen);
      };

      const context = await env.browser.newContext({ ...AUDIT, colorScheme, locale: "en-US" });
      const anon = await context.newPage();
      await anon.goto(env.server.url);
      await anon.getByLabel("Email").waitFor();
      await check(anon, "login");
      await anon.getByRole("button", { name: "Sign up" }).click();
      await anon.getByLabel("Username").waitFor();
      await check(anon, "sign-up");
      await context.close();

      const ann = await signUpInBrowser(env.browser, env.server.url, "ann", { ...AUDIT, colorScheme });
      const ben = await signUpInBrowser(env.browser, env.server.url, "ben", { ...AUDIT, colorScheme });
      const { page } = ann;
      await check(page, "empty chat list");
      await startChat(ann, ben.email);
      await sendText(ann, "fine, thanks");
      await check(ben.page, "message request");
      await acceptRequest(ben, ann.username);
      await sendText(ben, "hello there, how are you?");
      await expectMessageOnce(ann, "hello there, how are you?");
      await check(page, "open chat");
      await page.getByRole("link", { name: "Chats", exact: true }).click();
      await messageLog(page)
        .waitFor({ state: "detached" })
        .catch(() => undefined);
      await ben.page
        .getByRole("button", { name: "Back to chats" })
        .click()
        .catch(() => undefined);
      await check(ben.page, "chat list");
      await ben.page.getByRole("link", { name: "Settings" }).click();
      await ben.page.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
      await check(ben.page, "settings");
      await ben.page.getByRole("link", { name: "Chats", exact: true }).click();

      for (const [opener, screen] of [
        ["New chat", "new chat dialog"],
        ["New group", "new group dialog"],
      ] as const) {
        await page.getByRole("button", { name: opener }).click();
        await page.getByRole("dialog").waitFor();
        await check(page, screen);
        await page.keyboard.press("Escape");
      }
      await page.locator(".chat-link").first().click();
      await messageLog(page).waitFor();
      await page.locator(".conversation-header").getByRole("button", { name: "Chat actions" }).click();
      await check(page, "chat menu");
      await page.getByRole("menuitem", { name: "Clear chat" }).click();
      await page.getByRole("dialog").waitFor();
      await check(page, "clear dialog");
      await page.getByRole("button", { name: "Cancel" }).click();

      const own = messageLog(page).locator(".msg-row").filter({ hasText: "fine, thanks" });
      await own.getByRole("button", { name: "Message actions" }).click();
      await check(page, "message menu");
      await page.getByRole("menuitem", { name: "Delete for everyone" }).click();
      await page.getByRole("dialog").waitFor();
      await check(page, "delete confirmation");
      await page.getByRole("button", { name: "Cancel" }).click();

      await page.getByRole("button", { name: "New group" }).click();
      await page.getByLabel("Group name").fill("Audit");
      await page.getByLabel("Add people").fill(ben.email);
      await page.getByLabel("Add people").press("Enter");
      await page.getByRole("button", { name: "Create group" }).click();
      await page.getByRole("button", { name: "Members", exact: true }).click();
      await page.getByRole("dialog").waitFor();
      await check(page, "members dialog");
      await page.keyboard.press("Escape");

      await page.getByRole("link", { name: "Insights" }).click();
      await page.getByRole("heading", { name: "Insights", level: 1 }).waitFor();
      await page.waitForLoadState("networkidle");
      await check(page, "insights");

      const phone = await signUpInBrowser(env.browser, env.server.url, "cat", {
        ...AUDIT,
        colorScheme,
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
      });
      await phone.page.getByRole("button", { name: "Account" }).click();
      await check(phone.page, "account menu on a phone");

      expect(findings).toEqual([]);
      expect(missingH1).toEqual([]);
      for (const user of [ann, ben, phone]) expect(user.errors).toEqual([]);
      for (const user of [ann, ben, phone]) await user.context.close();
    });
  }
});
