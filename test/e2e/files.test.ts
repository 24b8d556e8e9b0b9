import type { Browser } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeIfChromium, launchBrowser } from "../support/browser.js";
import { startServer, type TestServer } from "../support/server.js";
import { chattingPair, eventually, messageLog } from "./helpers.js";

/** Small, so that the browser has a too-large file at hand quickly. */
const MAX_BYTES = 200_000;

async function photo(color: string, width = 120, height = 80): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: color } })
    .jpeg()
    .toBuffer();
}

describeIfChromium("files in the browser", () => {
  const env = {} as { server: TestServer; browser: Browser };
  beforeAll(async () => {
    env.server = await startServer({ env: { FILE_MAX_BYTES: String(MAX_BYTES) } });
    env.browser = await launchBrowser();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.close();
  });

  it("attach by button and by paste; the other side sees thumbnails, opens the viewer, steps and closes it", async () => {
    const { alice, bob } = await chattingPair(env.browser, env.server.url);

    // By the paper clip: the file input it opens.
    await alice.page.getByRole("button", { name: "Attach files" }).waitFor();
    await alice.page.getByTestId("attach-input").setInputFiles([
      { name: "beach.jpg", mimeType: "image/jpeg", buffer: await photo("#2a8") },
      { name: "dune.jpg", mimeType: "image/jpeg", buffer: await photo("#db5", 90, 90) },
    ]);
    await alice.page
      .getByRole("status")
      .filter({ hasText: "dune.jpg is ready to send" })
      .waitFor({ state: "attached" });
    await alice.page
      .getByText(
        "Photos are sent without their location and camera details (HEIC photos arrive as a download).",
      )
      .waitFor();
    await alice.page
      .getByRole("status")
      .filter({ hasText: "beach.jpg is ready to send" })
      .waitFor({ state: "attached" });
    const box = alice.page.getByLabel("Message", { exact: true });
    await box.fill("At the beach");
    await box.press("Enter");

    // By pasting an image into the message box.
    const pasted = (await photo("#c33", 60, 90)).toString("base64");
    await box.evaluate((element, base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], "pasted.jpg", { type: "image/jpeg" }));
      element.dispatchEvent(
        new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }),
      );
    }, pasted);
    await alice.page
      .getByRole("status")
      .filter({ hasText: "pasted.jpg is ready to send" })
      .waitFor({ state: "attached" });
    await box.press("Enter");

    // Bob: both photos as loaded thumbnails, the caption as text.
    const log = messageLog(bob.page);
    await log.getByText("At the beach", { exact: true }).waitFor();
    const beach = log.getByRole("button", { name: "Open beach.jpg" });
    const pastedThumb = log.getByRole("button", { name: "Open pasted.jpg" });
    await beach.waitFor();
    await pastedThumb.waitFor();
    await eventually(() =>
      beach.locator("img").evaluate((img: HTMLImageElement) => img.naturalWidth),
    ).toBeGreaterThan(0);
    expect(await beach.locator("img").getAttribute("src")).toMatch(/^\/api\/files\/[^/]+\/thumbnail$/);

    await beach.click();
    const viewer = bob.page.getByRole("dialog", { name: "Photo viewer" });
    await viewer.waitFor();
    const full = viewer.locator("img");
    await eventually(() => full.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(120);
    const download = viewer.getByRole("link", { name: "Download beach.jpg" });
    expect(await download.getAttribute("href")).toMatch(/^\/api\/files\/[^/]+$/);
    await bob.page.keyboard.press("ArrowRight");
    await viewer.getByText("dune.jpg", { exact: true }).waitFor();
    await viewer.getByText("2 of 2").waitFor();
    await bob.page.keyboard.press("ArrowLeft");
    await viewer.getByText("beach.jpg", { exact: true }).waitFor();
    await bob.page.keyboard.press("Escape");
    await viewer.waitFor({ state: "hidden" });
    expect(alice.errors.concat(bob.errors)).toEqual([]);
  });

  it("a file that is too large says so and can be removed; a document arrives as a card with a download", async () => {
    const { alice, bob } = await chattingPair(env.browser, env.server.url);
    await alice.page.getByTestId("attach-input").setInputFiles({
      name: "notes.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("meeting notes"),
    });
    await alice.page
      .getByRole("status")
      .filter({ hasText: "notes.txt is ready to send" })
      .waitFor({ state: "attached" });
    await alice.page.getByLabel("Message", { exact: true }).press("Enter");
    const card = messageLog(bob.page).locator(".file-card").filter({ hasText: "notes.txt" });
    await card.waitFor();
    expect(await card.getByRole("link", { name: "Download notes.txt" }).getAttribute("download")).toBe(
      "notes.txt",
    );

    await alice.page.getByTestId("attach-input").setInputFiles({
      name: "huge.bin",
      mimeType: "application/octet-stream",
      buffer: Buffer.alloc(MAX_BYTES + 1),
    });
    await alice.page
      .getByRole("alert")
      .filter({ hasText: "huge.bin could not be uploaded: the file is too large." })
      .waitFor();
    await alice.page.getByRole("button", { name: "Remove huge.bin" }).click();
    await eventually(() => alice.page.getByText("huge.bin").count()).toBe(0);
  });
});
