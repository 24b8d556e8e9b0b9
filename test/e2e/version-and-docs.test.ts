import { expect, it } from "vitest";
import { EVENTS, PROTOCOL_VERSION } from "../../src/protocol/index.js";
import { describeIfChromium, newUserContext } from "../support/browser.js";
import { serverAndBrowser, signUpInBrowser } from "./helpers.js";

describeIfChromium("web client: protocol version and the API reference", () => {
  const env = serverAndBrowser();

  it("offers a reload when the server speaks another protocol version than the tab's build", async () => {
    const user = await signUpInBrowser(env.browser, env.server.url, "stale");
    const banner = user.page.getByRole("status").filter({ hasText: "A new version is available" });
    expect(await banner.count()).toBe(0);

    // A server of the next version: it greets every new connection with its own number.
    env.server.app.io.on("connection", (socket) =>
      socket.emit(EVENTS.serverHello, { protocolVersion: PROTOCOL_VERSION + 1 }),
    );
    env.server.app.io.disconnectSockets();
    await banner.waitFor();

    await banner.getByRole("button", { name: "reload" }).click();
    await user.page.waitForLoadState("load");
    await user.page.getByRole("button", { name: "Log out" }).waitFor();
    await user.context.close();
  });

  it("shows the API reference at /api/docs without loading anything from another host", async () => {
    const context = await newUserContext(env.browser);
    const page = await context.newPage();
    const requested: string[] = [];
    page.on("request", (request) => requested.push(request.url()));
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${env.server.url}/api/docs`);
    await page.getByText("/api/chats/{id}/messages").first().waitFor();
    await page.getByText("Start a direct chat with the owner of an email").first().waitFor();
    expect(requested.length).toBeGreaterThan(3);
    for (const url of requested) expect(url.startsWith(env.server.url), url).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});
