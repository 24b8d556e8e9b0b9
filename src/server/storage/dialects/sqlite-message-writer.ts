import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { MessageWriter, NewMessage, StoreResult } from "../messages.repository.js";
import type { SqliteOptions } from "./sqlite-connection.js";
import { createSqliteInlineWriter } from "./sqlite-inline-writer.js";
import type { WriterReply, WriterRequest } from "./sqlite-writer.worker.js";

interface Pending {
  resolve: (value: StoreResult[] | undefined) => void;
  reject: (error: Error) => void;
}

const WORKER_URL = new URL(
  `./sqlite-writer.worker.${import.meta.url.endsWith(".ts") ? "ts" : "js"}`,
  import.meta.url,
);

/** Compiled builds load the worker as it is; from sources (dev, tests) it goes through tsx. */
function spawnWorker(options: SqliteOptions): Worker {
  if (WORKER_URL.pathname.endsWith(".js")) return new Worker(WORKER_URL, { workerData: options });
  const bootstrap = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: options });
}

/**
 * The SQLite send path runs on its own thread with its own connection: the commit's fsync
 * (about 1 ms with synchronous=FULL) then never blocks the event loop, which keeps fanning out
 * and accepting sends; those form the next batch. Readers on the main connection are not blocked
 * (WAL). If the thread dies, its pending batches fail (their senders get `unavailable` and retry
 * idempotently) and the next batch starts a new thread.
 */
export function createSqliteMessageWriter(
  options: SqliteOptions,
  where: "auto" | "thread" | "inline" = "auto",
): MessageWriter {
  // One core (e.g. `taskset -c 0`, a one-CPU container): a second thread only competes for it.
  const inline = where === "inline" || (where === "auto" && availableParallelism() === 1);
  return inline ? createSqliteInlineWriter(options) : createSqliteThreadWriter(options);
}

function createSqliteThreadWriter(options: SqliteOptions): MessageWriter {
  let worker: Worker | undefined;
  const pending = new Map<number, Pending>();
  let nextId = 0;

  function failAll(error: Error): void {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  }

  function start(): Worker {
    const thread = spawnWorker(options);
    thread.on("message", (reply: WriterReply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if ("error" in reply)
        p.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
      else p.resolve("results" in reply ? reply.results : undefined);
    });
    thread.on("error", (error) => failAll(error));
    thread.on("exit", () => {
      if (worker === thread) worker = undefined;
      failAll(new Error("the SQLite writer thread stopped"));
    });
    return thread;
  }

  function request(message: Omit<WriterRequest, "id">): Promise<StoreResult[] | undefined> {
    worker ??= start();
    const id = nextId++;
    const thread = worker;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      thread.postMessage({ ...message, id });
    });
  }

  return {
    async storeBatch(batch: NewMessage[]): Promise<StoreResult[]> {
      return (await request({ batch })) ?? [];
    },
    async close(): Promise<void> {
      if (!worker) return;
      const thread = worker;
      await request({ close: true }).catch(() => {});
      await thread.terminate();
    },
  };
}
