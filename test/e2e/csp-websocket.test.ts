import { expect, it } from "vitest";
import { describeIfChromium } from "../support/browser.js";
import { eventually, serverAndBrowser, signUpInBrowser } from "./helpers.js";

describeIfChromium("web client under the Content-Security-Policy", () => {
  const env = serverAndBrowser();

  it("upgrades to a WebSocket on this origin with connect-src 'self' and no CSP violation", async () => {
    const user = await signUpInBrowser(env.browser, env.server.url, "csp");
    const violations: string[] = [];
    user.page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const sockets: { url: string; frames: number }[] = [];
    user.page.on("websocket", (socket) => {
      const seen = { url: socket.url(), frames: 0 };
      sockets.push(seen);
      socket.on("framereceived", () => {
        seen.frames += 1;
      });
    });
    // A reload makes the client connect again while the listeners above watch.
    await user.page.reload();
    await user.page.getByRole("button", { name: "Log out" }).waitFor();
    const origin = env.server.url.replace(/^http/, "ws");
    await eventually(() =>
      sockets.some((s) => s.url.startsWith(`${origin}/socket.io/`) && s.frames > 0),
    ).toBe(true);
    expect(violations).toEqual([]);
    expect(user.errors).toEqual([]);
    await user.context.close();
  });
});
