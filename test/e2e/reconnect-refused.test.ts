import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, it } from "vitest";
import { describeIfChromium, launchBrowser } from "../support/browser.js";
import { TcpProxy } from "../support/cuttable-proxy.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../support/databases.js";
import { startServer, type TestServer } from "../support/server.js";
import { chattingPair, expectMessageOnce, sendText } from "./helpers.js";

const banner = (page: Page) => page.getByRole("status").filter({ hasText: "Connection lost" });

/** Resolves when the page's socket receives a handshake refusal (CONNECT_ERROR) with `message`. */
function handshakeRefused(page: Page, message: string): Promise<void> {
  const refusal = (data: string) => data.includes(`44{"message":"${message}"}`);
  return new Promise((resolve) => {
    page.on("websocket", (ws) =>
      ws.on("framereceived", ({ payload }) => refusal(String(payload)) && resolve()),
    );
    page.on("response", (response) => {
      if (!response.url().includes("/socket.io/")) return;
      response.text().then(
        (body) => refusal(body) && resolve(),
        () => {},
      );
    });
  });
}

const withPostgres = DIALECTS.includes("postgres");

describeIfChromium("web client: a handshake refused while the database is down", () => {
  let database: TestDatabase | undefined;
  let proxy: TcpProxy;
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    // A real outage: the server reaches PostgreSQL through a TCP proxy that the test cuts.
    if (!withPostgres) return;
    database = await createTestDatabase("postgres");
    const target = new URL(database.url);
    proxy = await TcpProxy.start(target.hostname, Number(target.port || 5432));
    server = await startServer({ databaseUrl: proxy.proxied(database.url) });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await proxy?.close();
    await database?.drop();
  });

  it.runIf(withPostgres)(
    "keeps the banner up and retries with backoff after `unavailable`, then reconnects and catches up",
    async () => {
      const { alice, bob } = await chattingPair(browser, server.url);
      await sendText(bob, "before the outage");
      await expectMessageOnce(alice, "before the outage");

      // The database goes away, then alice's connection drops and comes back: her handshake is refused.
      proxy.cut("refuse");
      const refused = handshakeRefused(alice.page, "unavailable");
      await alice.context.setOffline(true);
      await banner(alice.page).waitFor();
      await alice.context.setOffline(false);
      await refused;
      await banner(alice.page).waitFor();

      proxy.restore();
      await banner(alice.page).waitFor({ state: "detached", timeout: 20_000 });
      await sendText(bob, "after the outage");
      await expectMessageOnce(alice, "after the outage");
    },
  );
});
