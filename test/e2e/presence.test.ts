import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { describeIfChromium } from "../support/browser.js";
import {
  chatLink,
  chattingPair,
  eventually,
  expectMessageOnce,
  messageLog,
  sendText,
  serverAndBrowser,
} from "./helpers.js";

const status = (page: Page) => page.locator(".conversation-heading .conversation-subtitle");
const readTicks = (page: Page) => messageLog(page).getByRole("img", { name: "Read" });

describeIfChromium("web client: presence, typing and read receipts", () => {
  const env = serverAndBrowser();

  it("shows each other online, typing and read ticks live; receipts off removes the ticks on both sides", async () => {
    const { alice, bob } = await chattingPair(env.browser, env.server.url);
    // Online: the header says so and the list shows a dot on the direct chat.
    await eventually(() => status(alice.page).textContent()).toBe("online");
    await eventually(() => status(bob.page).textContent()).toBe("online");
    await chatLink(alice.page, bob.username).getByRole("img", { name: "Online" }).waitFor();

    // Typing: bob's unsent text shows as "typing…" in alice's header and list.
    await bob.page.getByLabel("Message", { exact: true }).fill("hel");
    await eventually(() => status(alice.page).textContent()).toBe("typing…");
    await eventually(() => chatLink(alice.page, bob.username).textContent()).toContain("typing…");
    await bob.page.getByLabel("Message", { exact: true }).fill("");
    await eventually(() => status(alice.page).textContent()).toBe("online");

    // Read ticks: bob has the chat open, so alice's message turns read; and the other way round.
    await sendText(alice, "did you read this?");
    await expectMessageOnce(bob, "did you read this?");
    await eventually(() => readTicks(alice.page).count()).toBe(1);
    await sendText(bob, "yes");
    await expectMessageOnce(alice, "yes");
    await eventually(() => readTicks(bob.page).count()).toBe(1);

    // Bob turns receipts off on the Settings page: no ticks on either side, at once.
    await bob.page.getByRole("link", { name: "Settings" }).click();
    const receipts = bob.page.getByRole("switch", { name: "Share read receipts" });
    await receipts.waitFor();
    expect(await bob.page.getByText("works both ways").count()).toBe(2);
    await receipts.click();
    await eventually(() => receipts.isChecked()).toBe(false);
    await eventually(() => readTicks(alice.page).count()).toBe(0);
    await bob.page.goBack();
    await messageLog(bob.page).waitFor();
    await eventually(() => readTicks(bob.page).count()).toBe(0);
    expect(alice.errors).toEqual([]);
    expect(bob.errors).toEqual([]);
  });

  it("clears the peer's typing indicator within 6 s when the typist's browser dies, and shows last seen", async () => {
    const { alice, bob } = await chattingPair(env.browser, env.server.url);
    await eventually(() => status(alice.page).textContent()).toBe("online");
    await bob.page.getByLabel("Message", { exact: true }).fill("I am about to");
    await eventually(() => status(alice.page).textContent()).toBe("typing…");
    const killedAt = Date.now();
    await bob.context.close();
    await eventually(() => status(alice.page).textContent()).not.toBe("typing…");
    expect(Date.now() - killedAt).toBeLessThan(6000);
    await eventually(() => status(alice.page).textContent()).toMatch(/^last seen /);
  });
});
