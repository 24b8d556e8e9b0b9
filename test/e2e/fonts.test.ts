import type { Page } from "playwright-core";
import { it } from "vitest";
import { describeIfChromium } from "../support/browser.js";
import { bubbles, eventually, sendText, serverAndBrowser, signUpInBrowser, startChat } from "./helpers.js";

/** The fonts Chromium really drew the first bubble showing `text` with (DevTools' "Rendered Fonts"). */
async function renderedFonts(page: Page, text: string): Promise<string[]> {
  await bubbles(page, text)
    .first()
    .evaluate((el) => el.setAttribute("data-font-probe", ""));
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send("DOM.enable");
    await cdp.send("CSS.enable");
    const { root } = await cdp.send("DOM.getDocument", { depth: -1 });
    const { nodeId } = await cdp.send("DOM.querySelector", {
      nodeId: root.nodeId,
      selector: "[data-font-probe]",
    });
    const { fonts } = await cdp.send("CSS.getPlatformFontsForNode", { nodeId });
    return fonts.map((f) => f.familyName).sort();
  } finally {
    await cdp.detach();
  }
}

describeIfChromium("web client: fonts", () => {
  const env = serverAndBrowser();

  // Poppins itself has no Vietnamese tone-marked letters (ễ, ạ: U+1EA0–1EF9, no such subset exists;
  // checked in Chromium against the font files), so those still come from the system font.
  it("draws Central European, Turkish and Romanian letters with Poppins, not a fallback mid-word", async () => {
    const alice = await signUpInBrowser(env.browser, env.server.url, "alice");
    const bob = await signUpInBrowser(env.browser, env.server.url, "bob");
    await startChat(alice, bob.email);
    for (const text of ["Łódź", "Dvořák", "Beşiktaş", "Brăila", "Đàm"]) {
      await sendText(alice, text);
      await bubbles(alice.page, text).first().waitFor();
      // font-display: swap draws a fallback until the subset has downloaded.
      await eventually(async () => ({ text, fonts: await renderedFonts(alice.page, text) })).toEqual({
        text,
        fonts: ["Poppins"],
      });
    }
    await alice.context.close();
    await bob.context.close();
  });
});
