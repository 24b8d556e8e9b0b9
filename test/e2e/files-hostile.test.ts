import type { Browser } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeIfChromium, launchBrowser, newUserContext } from "../support/browser.js";
import { signUp, type TestUser } from "../support/client.js";
import { fetchFile, uploaded } from "../support/files.js";
import { startServer, type TestServer } from "../support/server.js";

/** Each payload calls the canary (and alerts) if it ever runs as script. */
const SCRIPT = "window.canary && window.canary(location.href); alert('ran'); document.title = 'ran';";

describeIfChromium("hostile uploads never run in the app's origin", () => {
  let server: TestServer;
  let browser: Browser;
  let user: TestUser;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    user = await signUp(server.url, "mallory");
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("SVG with script, HTML, HTML claiming image/png and polyglots: never inline active content, nothing runs", async () => {
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#000" } })
      .jpeg()
      .toBuffer();
    const hostile: [string, Buffer | string, string][] = [
      [
        "evil.svg",
        `<svg xmlns="http://www.w3.org/2000/svg" onload="${SCRIPT}"><script>${SCRIPT}</script></svg>`,
        "image/svg+xml",
      ],
      ["evil.html", `<!doctype html><html><body><script>${SCRIPT}</script></body></html>`, "text/html"],
      ["cat.png", `<html><script>${SCRIPT}</script></html>`, "image/png"],
      ["gifar.gif", `GIF89a/*<html><script>${SCRIPT}</script></html>*/`, "image/gif"],
      [
        "photo.jpg",
        Buffer.concat([jpeg, Buffer.from(`<html><script>${SCRIPT}</script></html>`)]),
        "image/jpeg",
      ],
      ["doc.pdf", `%PDF-1.4\n<html><script>${SCRIPT}</script></html>`, "application/pdf"],
    ];
    const context = await newUserContext(browser, { acceptDownloads: true });
    const ran: string[] = [];
    await context.exposeBinding("canary", (_source, href: string) => ran.push(href));
    const [name, value] = user.cookie.split("=") as [string, string];
    await context.addCookies([{ name, value, url: server.url }]);
    const page = await context.newPage();
    page.on("dialog", (dialog) => {
      ran.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    // The canary itself works: the same script on an ordinary page calls it.
    await page.setContent(`<script>${SCRIPT}</script>`);
    await expect.poll(() => ran.length).toBeGreaterThan(0);
    ran.length = 0;

    for (const [fileName, bytes, claimed] of hostile) {
      const file = await uploaded(server.url, user, fileName, bytes, claimed);
      const served = await fetchFile(server.url, file.url, user);
      const type = served.headers.get("content-type") ?? "";
      const disposition = served.headers.get("content-disposition") ?? "";
      expect(served.headers.get("x-content-type-options")).toBe("nosniff");
      expect(served.headers.get("content-security-policy")).toMatch(/sandbox/);
      expect(served.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
      expect(type).not.toMatch(/html|svg|xml|javascript/);
      if (disposition.startsWith("inline")) {
        expect(type).toMatch(/^(image\/(jpeg|png|gif|webp|avif)|application\/pdf)$/);
        // Images are re-encoded, so an appended payload is gone; a PDF stays as it is, served as PDF.
        if (type.startsWith("image/")) expect(served.bytes.toString("latin1")).not.toContain("<script>");
      } else {
        expect(type).toBe("application/octet-stream");
      }
      if (["evil.svg", "evil.html", "cat.png", "gifar.gif"].includes(fileName)) {
        expect(disposition).toMatch(/^attachment/);
      }
      await page.goto("about:blank");
      await page.goto(server.url + file.url).catch(() => {
        // A download aborts the navigation: nothing rendered, nothing ran.
      });
      await page.waitForTimeout(300);
      expect(await page.title().catch(() => "")).not.toBe("ran");
    }
    expect(ran).toEqual([]);
    await context.close();
  });
});
