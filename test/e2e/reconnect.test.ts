import { it } from "vitest";
import { describeIfChromium } from "../support/browser.js";
import { chattingPair, expectMessageOnce, messageLog, sendText, serverAndBrowser } from "./helpers.js";

describeIfChromium("web client: dropped connections", () => {
  const env = serverAndBrowser();

  const banner = (page: import("playwright-core").Page) =>
    page.getByRole("status").filter({ hasText: "Connection lost" });

  it("shows a banner while offline and catches up on reconnect: the missed message appears exactly once", async () => {
    const { alice, bob } = await chattingPair(env.browser, env.server.url);
    await sendText(bob, "before the drop");
    await expectMessageOnce(alice, "before the drop");

    await alice.context.setOffline(true);
    await banner(alice.page).waitFor();

    await sendText(bob, "sent while you were away");
    await messageLog(bob.page)
      .locator('.msg-own[data-status="sent"]')
      .filter({ hasText: "sent while you were away" })
      .waitFor();

    await alice.context.setOffline(false);
    await banner(alice.page).waitFor({ state: "detached" });
    await expectMessageOnce(alice, "sent while you were away");
    await expectMessageOnce(alice, "before the drop");

    // Live delivery works again after the catch-up.
    await sendText(bob, "back to live");
    await expectMessageOnce(alice, "back to live");
  });

  it("queues a message written while offline and sends it by itself, once, when the connection is back", async () => {
    const { alice, bob } = await chattingPair(env.browser, env.server.url);
    await alice.context.setOffline(true);
    await banner(alice.page).waitFor();

    await sendText(alice, "typed in a tunnel");
    const queued = messageLog(alice.page)
      .locator('.msg-own[data-status="queued"]')
      .filter({ hasText: "typed in a tunnel" });
    await queued.getByText("Queued").waitFor();

    await alice.context.setOffline(false);
    await banner(alice.page).waitFor({ state: "detached" });
    await messageLog(alice.page)
      .locator('.msg-own[data-status="sent"]')
      .filter({ hasText: "typed in a tunnel" })
      .waitFor();
    await expectMessageOnce(bob, "typed in a tunnel");
    await expectMessageOnce(alice, "typed in a tunnel");
  });
});
