import { expect, it } from "vitest";
import { describeIfChromium } from "../support/browser.js";
import { chattingPair, eventually, sendText, serverAndBrowser, signUpInBrowser } from "./helpers.js";

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describeIfChromium("installable app and notifications", () => {
  const env = serverAndBrowser();

  it("serves a valid web app manifest whose icons are PNGs of the sizes it names", async () => {
    const response = await fetch(`${env.server.url}/manifest.webmanifest`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/manifest\+json/);
    const manifest = (await response.json()) as {
      name: string;
      start_url: string;
      scope: string;
      display: string;
      icons: { src: string; sizes: string; type: string; purpose: string }[];
    };
    expect(manifest).toMatchObject({ name: "Glasschat", start_url: "/", scope: "/", display: "standalone" });
    const sizes = new Set<string>();
    for (const icon of manifest.icons) {
      const image = await fetch(new URL(icon.src, env.server.url));
      expect(image.status).toBe(200);
      expect(icon.type).toBe("image/png");
      const { width, height } = pngSize(Buffer.from(await image.arrayBuffer()));
      expect(`${width}x${height}`).toBe(icon.sizes);
      sizes.add(icon.sizes);
    }
    // What browsers need to offer installing: a 192 and a 512 icon (and a maskable one for Android).
    expect([...sizes].sort()).toEqual(["192x192", "512x512"]);
    expect(manifest.icons.some((icon) => icon.purpose === "maskable")).toBe(true);
  });

  it("registers the service worker for the whole app, under the CSP, with the page linking the manifest", async () => {
    const user = await signUpInBrowser(env.browser, env.server.url, "sw");
    const violations: string[] = [];
    user.page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await user.page.reload();
    const registration = await user.page.evaluate(async () => {
      const ready = await navigator.serviceWorker.ready;
      return { scope: ready.scope, script: ready.active?.scriptURL };
    });
    expect(registration).toEqual({ scope: `${env.server.url}/`, script: `${env.server.url}/sw.js` });
    const manifestLink = await user.page.locator('link[rel="manifest"]').getAttribute("href");
    expect(manifestLink).toBe("/manifest.webmanifest");
    const worker = await fetch(`${env.server.url}/sw.js`);
    expect(worker.headers.get("content-type")).toMatch(/javascript/);
    expect(worker.headers.get("content-security-policy")).toContain("worker-src 'self'");
    expect(violations).toEqual([]);
    expect(user.errors).toEqual([]);
    await user.context.close();
  });

  it("a hidden tab tells the server, shows a desktop notification for a new message, and a notification link opens that chat", async () => {
    const { alice, bob } = await chattingPair(env.browser, env.server.url);
    await bob.context.grantPermissions(["notifications"], { origin: env.server.url });
    await bob.page.evaluate(() =>
      localStorage.setItem("glasschat.notifications", JSON.stringify({ desktop: true, sound: false })),
    );
    await bob.page.evaluate(() => navigator.serviceWorker.ready);
    const bobId = await bob.page.evaluate(async () => {
      const reply = await fetch("/api/me");
      return ((await reply.json()) as { user: { id: string } }).user.id;
    });
    const visibleSockets = async () => (await env.server.app.io.in(`visible:${bobId}`).fetchSockets()).length;
    await eventually(visibleSockets).toBe(1);
    await bob.page.evaluate(() => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
      document.dispatchEvent(new Event("visibilitychange"));
    });
    await eventually(visibleSockets).toBe(0);

    await sendText(alice, "ping while you are away");
    const shown = () =>
      bob.page.evaluate(async () => {
        const registration = await navigator.serviceWorker.ready;
        return (await registration.getNotifications()).map((n) => ({
          title: n.title,
          body: n.body,
          data: n.data,
        }));
      });
    await eventually(async () => (await shown()).length).toBe(1);
    const [notification] = await shown();
    expect(notification).toMatchObject({ title: alice.username, body: "ping while you are away" });
    const { chatId, messageId } = (notification?.data ?? {}) as { chatId: string; messageId: string };

    // What sw.js opens when no tab is open: the chat, at that message.
    const page = await bob.context.newPage();
    await page.goto(
      `${env.server.url}/?chat=${encodeURIComponent(chatId)}&message=${encodeURIComponent(messageId)}#/chat/${encodeURIComponent(chatId)}`,
    );
    await eventually(() => page.evaluate(() => window.location.hash)).toBe(
      `#/chat/${encodeURIComponent(chatId)}`,
    );
    await page.locator(`[data-message-id="${messageId}"]`).waitFor();
    expect(new URL(page.url()).search).toBe("");
    await alice.context.close();
    await bob.context.close();
  });
});
