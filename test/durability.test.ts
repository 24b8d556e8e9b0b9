import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { MessagePage } from "../src/protocol/index.js";
import { closeAllSockets, connected, pair, send } from "./support/client.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/databases.js";
import { freePort, startServerProcess } from "./support/process.js";

describe.each(DIALECTS)("durability (%s)", (dialect) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(() => closeAllSockets());
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("keeps every acknowledged message exactly once across a SIGKILL of the server", async () => {
    const database: TestDatabase = await createTestDatabase(dialect);
    const dataDir = mkdtempSync(join(tmpdir(), "glasschat-kill-"));
    cleanups.push(database.drop, () => rmSync(dataDir, { recursive: true, force: true }));
    // Same port after the restart, so the clients' base URL stays valid.
    const env = { DATABASE_URL: database.url, DATA_DIR: dataDir, PORT: String(await freePort()) };

    const first = await startServerProcess(env);
    cleanups.push(() => {
      first.child.kill("SIGKILL");
    });
    const { alice, bob, chatId } = await pair(first.url);
    const sockets = [await connected(first.url, alice.cookie), await connected(first.url, bob.cookie)];

    // Keep sending in parallel and kill the server while sends are in flight.
    const acked = new Set<string>();
    let n = 0;
    const senders = sockets.map(async (socket) => {
      for (;;) {
        const clientId = `m${n++}`;
        const ack = await send(socket, { chatId, body: `body ${clientId}`, clientId }).catch(() => undefined);
        if (!ack?.ok) return;
        acked.add(ack.message.id);
        if (acked.size === 150) first.child.kill("SIGKILL");
      }
    });
    await Promise.all(senders);
    await first.exited;
    expect(acked.size).toBeGreaterThanOrEqual(150);

    const second = await startServerProcess(env);
    cleanups.push(() => {
      second.child.kill("SIGKILL");
    });
    const seen: string[] = [];
    let before = "";
    for (;;) {
      const page = await alice.api<MessagePage>(
        "GET",
        `/api/chats/${chatId}/messages?limit=100${before && `&before=${before}`}`,
      );
      seen.unshift(...page.body.messages.map((m) => m.id));
      if (!page.body.hasMore) break;
      before = page.body.messages[0]?.id ?? "";
    }
    for (const id of acked) expect(seen).toContain(id);
    expect(new Set(seen).size).toBe(seen.length);
    const seqs = seen.map((id) => Number(id.split("-").at(-1)));
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  });
});
