import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Insights } from "../../src/protocol/index.js";
import { DEMO_PASSWORD, seedDemo } from "../../src/server/seed-demo.js";
import { describeIfChromium, launchBrowser, newUserContext } from "../support/browser.js";
import { startServer, type TestServer } from "../support/server.js";
import { eventually, logIn as logInForm, screenshotPath, signUpInBrowser } from "./helpers.js";

const CHARTS = ["Messages by hour", "Weekday × hour", "Messages per day", "Top chats", "Reply time"];

/** Pixels of the chart's canvas that are not fully transparent: > 0 once ECharts has drawn. */
const drawnPixels = (page: Page, title: string) =>
  page
    .getByRole("region", { name: title })
    .locator("canvas")
    .first()
    .evaluate((canvas: HTMLCanvasElement) => {
      const context = canvas.getContext("2d");
      if (!context) return 0;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      let count = 0;
      for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) count++;
      return count;
    });

async function logIn(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(baseUrl);
  await logInForm(page, { email, password: DEMO_PASSWORD });
  await page.getByRole("link", { name: "Insights" }).waitFor(); // "Log out" is in a menu on phones
}

describeIfChromium("web client: Insights page", () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    await seedDemo(server.app.database);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("opens from the header and draws every chart of the demo history", async () => {
    const context = await newUserContext(browser, { timezoneId: "Europe/Berlin", acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await logIn(page, server.url, "ann@demo.glasschat.example");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Insights" }).click();
    await page.getByRole("heading", { name: "Insights", level: 1 }).waitFor();
    await page.getByText("Times are shown in your time zone, Europe/Berlin.").waitFor();
    for (const title of CHARTS) {
      const chart = page.getByRole("region", { name: title });
      await chart.locator('[data-rendered="true"]').waitFor();
      await eventually(() => drawnPixels(page, title)).toBeGreaterThan(500);
    }
    await page.screenshot({ path: screenshotPath("insights-dark.png"), fullPage: true });

    // The CSV of a chart holds exactly the numbers the API answered for the same filters.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download Messages by hour data as CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      /^messages-by-hour_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/,
    );
    const csv = readFileSync(await download.path(), "utf8");
    const [, from, to] =
      /_(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})\.csv$/.exec(download.suggestedFilename()) ?? [];
    const api = (await page.evaluate(
      (query) => fetch(`/api/insights?${query}`).then((r) => r.json()),
      `from=${from}&to=${to}&tz=Europe/Berlin`,
    )) as Insights;
    const expected = [
      "hour,sent,received",
      ...api.byHour.map((h) => `${String(h.hour).padStart(2, "0")}:00,${h.sent},${h.received}`),
    ];
    expect(csv).toBe(`${expected.join("\r\n")}\r\n`);
    expect(api.totals.messages).toBeGreaterThan(100);

    const [png] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download Weekday × hour as PNG" }).click(),
    ]);
    expect(png.suggestedFilename()).toMatch(/^weekday-hour_.*\.png$/);
    expect(
      readFileSync(await png.path())
        .subarray(1, 4)
        .toString(),
    ).toBe("PNG");

    // The light theme redraws the charts in its colours.
    await page.getByRole("button", { name: "Toggle theme" }).click();
    await eventually(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe("light");
    for (const title of CHARTS) {
      await page.getByRole("region", { name: title }).locator('[data-rendered="true"]').waitFor();
    }
    await page.screenshot({ path: screenshotPath("insights-light.png"), fullPage: true });

    // One chat narrows the numbers.
    const totalMessages = () => page.getByRole("definition").first().textContent();
    const before = await totalMessages();
    await page.getByLabel("Chat", { exact: true }).selectOption({ label: "farid" });
    await eventually(totalMessages).not.toBe(before);

    await page.getByRole("link", { name: "Chats" }).click();
    await page.getByRole("list", { name: "Chats" }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("keeps each filter's label on the same line as its field on a phone", async () => {
    const context = await newUserContext(browser, { viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await logIn(page, server.url, "ann@demo.glasschat.example");
    await page.getByRole("link", { name: "Insights" }).click();
    await page.getByRole("region", { name: "Reply time" }).locator('[data-rendered="true"]').waitFor();
    const filters = page.getByRole("form", { name: "Filters" });
    for (const name of ["Chat", "From", "To"]) {
      const label = await filters.locator("label", { hasText: name }).boundingBox();
      const field = await filters.getByLabel(name, { exact: true }).boundingBox();
      if (!label || !field) throw new Error(`${name} is not laid out`);
      const labelMiddle = label.y + label.height / 2;
      expect({ name, sameLine: labelMiddle > field.y && labelMiddle < field.y + field.height }).toEqual({
        name,
        sameLine: true,
      });
      expect(label.x + label.width).toBeLessThanOrEqual(field.x);
      expect(field.x + field.width).toBeLessThanOrEqual(390);
    }
    await page.screenshot({ path: screenshotPath("insights-phone.png") });
    await page
      .getByRole("region", { name: "Reply time" })
      .screenshot({ path: screenshotPath("insights-phone-reply-time.png") });
    await context.close();
  });

  it("explains the empty page to someone without messages", async () => {
    const user = await signUpInBrowser(browser, server.url, "newcomer");
    await user.page.getByRole("link", { name: "Insights" }).click();
    const empty = user.page.getByRole("region", { name: "No messages" });
    await empty.getByRole("heading", { name: /No messages in your chats between/ }).waitFor();
    await expect(empty.textContent()).resolves.toContain("Pick a longer range or another chat");
    expect(await user.page.locator("canvas").count()).toBe(0);
    expect(user.errors).toEqual([]);
    await user.context.close();
  });
});
