import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { SendAck } from "../src/protocol/index.js";
import { type ClientSocket, closeAllSockets, connected, pair } from "./support/client.js";
import { createTestDatabase, DIALECTS } from "./support/databases.js";
import { storedHistory } from "./support/failover.js";
import { freePort, startServerProcess } from "./support/process.js";
import { startServer } from "./support/server.js";

const SOCKETS = 40;
const SENDS_PER_SOCKET = 4;

describe.each(DIALECTS)("graceful shutdown (%s)", (dialect) => {
  const cleanups: (() => unknown)[] = [];
  afterEach(() => closeAllSockets());
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  // --workers: the primary passes SIGTERM on to each worker, which shuts down the same way.
  const modes = [{ mode: "one process", args: [] as string[] }];
  if (dialect === "postgres") modes.push({ mode: "--workers 2", args: ["--workers", "2"] });
  it.each(modes)(
    "on SIGTERM ($mode) answers every send in flight, acknowledges ok exactly what it stored, and exits 0",
    { timeout: 90_000 },
    async ({ args }) => {
      const database = await createTestDatabase(dialect);
      const dataDir = mkdtempSync(join(tmpdir(), "glasschat-term-"));
      cleanups.push(database.drop, () => rmSync(dataDir, { recursive: true, force: true }));
      const env = { DATABASE_URL: database.url, DATA_DIR: dataDir, PORT: String(await freePort()) };
      const server = await startServerProcess(env, args);
      cleanups.push(() => server.child.kill("SIGKILL"));
      const { alice, bob, chatId } = await pair(server.url);
      const sockets: ClientSocket[] = [];
      for (let i = 0; i < SOCKETS; i++)
        sockets.push(await connected(server.url, (i % 2 ? bob : alice).cookie));

      // SIGTERM as soon as the first send is acknowledged, with the others still in flight; then one
      // more send per socket, which the stopping server must still answer.
      const answers = new Map<string, SendAck | "no answer">();
      const sends: Promise<unknown>[] = [];
      const sendOne = (socket: ClientSocket, clientId: string) =>
        socket
          .timeout(10_000)
          .emitWithAck("message:send", { chatId, body: `body ${clientId}`, clientId })
          .then(
            (ack) => {
              answers.set(clientId, ack);
              if (ack.ok && server.child.signalCode === null && !server.child.killed) {
                server.child.kill("SIGTERM");
                for (const [s, late] of sockets.entries()) sends.push(sendOne(late, `late${s}`));
              }
            },
            () => answers.set(clientId, "no answer"),
          );
      sockets.forEach((socket, s) => {
        for (let k = 0; k < SENDS_PER_SOCKET; k++) sends.push(sendOne(socket, `s${s}-${k}`));
      });
      while (answers.size < sends.length) await Promise.all(sends);
      expect(answers.size).toBe(SOCKETS * (SENDS_PER_SOCKET + 1));
      expect(await server.exited).toBe(0);

      const outcome = (a: SendAck | "no answer") => (a === "no answer" ? a : a.ok ? "ok" : a.error.code);
      // Every send that was on its way before SIGTERM is answered, ok or unavailable. A late one may
      // reach a worker that has already stopped reading (after its quiet period): it was never
      // accepted, so it may go unanswered, but then it must not be stored (checked below).
      const unexpected = [...answers]
        .map(([clientId, a]) => [clientId, outcome(a)] as const)
        .filter(
          ([clientId, o]) =>
            o !== "ok" && o !== "unavailable" && !(o === "no answer" && clientId.startsWith("late")),
        )
        .map(([clientId, o]) => `${clientId}: ${o}`);
      expect(unexpected).toEqual([]);
      const acked = new Map<string, string>();
      for (const [clientId, ack] of answers)
        if (ack !== "no answer" && ack.ok) acked.set(clientId, ack.message.id);
      expect(acked.size).toBeGreaterThan(0);

      const again = await startServerProcess(env);
      cleanups.push(() => again.child.kill("SIGKILL"));
      const stored = await storedHistory(again.url, alice.cookie, chatId);
      // Every ok is stored under the id it was acknowledged with; nothing stored went unacknowledged.
      expect(new Map(stored.map((m) => [m.clientId, m.id]))).toEqual(acked);
    },
  );

  it("answers a send that arrives while closing with unavailable before closing its socket", async () => {
    const server = await startServer({ dialect });
    const { alice, chatId } = await pair(server.url);
    const socket = await connected(server.url, alice.cookie);
    const closed = server.app.close();
    const ack = await socket
      .timeout(5000)
      .emitWithAck("message:send", { chatId, body: "late", clientId: "late" });
    expect(ack.ok ? "ok" : ack.error.code).toBe("unavailable");
    await closed;
    await server.close();
  });
});
