import { setTimeout as sleep } from "node:timers/promises";
import type { MessageWriter, NewMessage, StoreResult } from "../messages.repository.js";
import { openSqlite, type SqliteOptions } from "./sqlite-connection.js";
import { prepareMessageStore } from "./sqlite-message-store.js";

/** As long as a writer elsewhere may hold the lock before a batch fails (the threads' busy timeout). */
const BUSY_GIVE_UP_MS = 5000;
const BUSY_RETRY_MS = 2;

const isBusy = (error: unknown) => /^SQLITE_BUSY/.test(String((error as { code?: unknown })?.code));

/**
 * The send path's commits on the main thread, on a connection of their own: no cross-thread round
 * trip and no second thread competing for the CPU, at the price of the event loop waiting for each
 * commit's fsync. Chosen where the process may use one core only (where a thread only competes).
 * The busy timeout is 0: a transaction of the main connection that holds the write lock across an
 * `await` could never finish while this thread waited synchronously; a busy batch is retried
 * asynchronously instead.
 */
export function createSqliteInlineWriter(options: SqliteOptions): MessageWriter {
  const sqlite = openSqlite(options);
  sqlite.pragma("busy_timeout = 0");
  const store = prepareMessageStore(sqlite);
  return {
    async storeBatch(batch: NewMessage[]): Promise<StoreResult[]> {
      const start = performance.now();
      for (;;) {
        try {
          return store(batch);
        } catch (error) {
          if (!isBusy(error) || performance.now() - start > BUSY_GIVE_UP_MS) throw error;
        }
        await sleep(BUSY_RETRY_MS);
      }
    },
    async close(): Promise<void> {
      sqlite.close();
    },
  };
}
