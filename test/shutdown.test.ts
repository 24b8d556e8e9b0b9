import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { MessagePage } from "../src/protocol/index.js";
import { closeAllSockets, connected, pair, send } from "./support/client.js";
import { createTestDatabase } from "./support/databases.js";
import { freePort, startServerProcess } from "./support/process.js";

describe("graceful shutdown", () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(() => closeAllSockets());
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("on SIGTERM finishes in-flight sends, closes sockets and exits 0 with nothing acknowledged lost", async () => {
    const database = await createTestDatabase("sqlite");
    const dataDir = mkdtempSync(join(tmpdir(), "glasschat-term-"));
    cleanups.push(database.drop, () => rmSync(dataDir, { recursive: true, force: true }));
    const env = { DATABASE_URL: database.url, DATA_DIR: dataDir, PORT: String(await freePort()) };
    const server = await startServerProcess(env);
    cleanups.push(() => server.child.kill("SIGKILL"));
    const { alice, chatId } = await pair(server.url);
    const socket = await connected(server.url, alice.cookie);
    const closed = new Promise<void>((resolve) => socket.once("disconnect", () => resolve()));

    const acks = Array.from({ length: 50 }, (_, i) =>
      send(socket, { chatId, body: `t${i}`, clientId: `t${i}` }).catch(() => undefined),
    );
    server.child.kill("SIGTERM");
    const settled = await Promise.all(acks);
    await closed;
    expect(await server.exited).toBe(0);
    const acked = settled.filter((a) => a?.ok).length;

    const again = await startServerProcess(env);
    cleanups.push(() => again.child.kill("SIGKILL"));
    const history = await alice.api<MessagePage>("GET", `/api/chats/${chatId}/messages?limit=100`);
    expect(history.body.messages.length).toBeGreaterThanOrEqual(acked);
  });
});
