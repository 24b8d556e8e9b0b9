import { setTimeout as sleep } from "node:timers/promises";
import type { SearchIndexer } from "../search-indexer.js";
import { openSqlite, type SqliteOptions } from "./sqlite-connection.js";

/** How long after a commit its messages are indexed: long enough to index many commits at once. */
export const INDEX_DELAY_MS = 100;
/** Rowids indexed by one transaction: bounds how long one step holds the event loop. */
const CHUNK = 2000;
const BUSY_RETRY_MS = 5;

const isBusy = (error: unknown) => /^SQLITE_BUSY/.test(String((error as { code?: unknown })?.code));

/**
 * SQLite's post-commit indexer, on a connection of its own: each step inserts the messages above
 * the high-water mark `search_indexed.up_to` into the FTS5 table with one statement and moves the
 * mark, in one IMMEDIATE transaction (several processes on one file take turns). Indexing the
 * commits of INDEX_DELAY_MS together costs a fraction of indexing each batch in its own
 * transaction (FTS5 writes a segment per transaction). The transaction needs no fsync of its own
 * (synchronous=NORMAL): one a crash loses, mark included, is simply done again at the next start.
 * The busy timeout is 0, as for the inline writer: a busy step is retried later, never waited for
 * on the event loop.
 */
export function createSqliteSearchIndexer(
  options: SqliteOptions,
  onError: (error: unknown) => void,
): SearchIndexer {
  const sqlite = openSqlite({ ...options, synchronous: "normal" });
  sqlite.pragma("busy_timeout = 0");
  const mark = sqlite.prepare<[], { up_to: number }>("select up_to from search_indexed");
  const newest = sqlite.prepare<[], { top: number }>("select coalesce(max(rowid), 0) as top from messages");
  // In ascending index rowid order (minus the messages' rowid: newest message first). FTS5 writes
  // its pending terms out as a new segment whenever a rowid is below the one before it: in
  // messages' order every row was a segment of its own, and merging them was about 80 % of the
  // index's CPU (FTS5 alone on the bench's bodies: 10.7 µs a message, 2.1 in this order).
  const insert = sqlite.prepare<[number, number]>(
    `insert into message_search (rowid, body) select -rowid, body from messages
     where rowid > ? and rowid <= ? and system is null and deleted_at is null order by rowid desc`,
  );
  const move = sqlite.prepare<[number]>("update search_indexed set up_to = ?");
  /** Indexes up to CHUNK rowids above the mark; true when more are waiting. */
  const step = sqlite.transaction((): boolean => {
    const from = mark.get()?.up_to ?? 0;
    const top = newest.get()?.top ?? 0;
    if (top <= from) return false;
    const to = Math.min(top, from + CHUNK);
    insert.run(from, to);
    move.run(to);
    return to < top;
  });

  let timer: NodeJS.Timeout | undefined;
  /** Runs of `indexAll`, one after the other: a run asked for during another one starts after it. */
  let queue: Promise<void> = Promise.resolve();
  let closed = false;

  async function indexAll(): Promise<void> {
    for (;;) {
      let more: boolean;
      try {
        more = step.immediate();
      } catch (error) {
        if (!isBusy(error)) throw error;
        await sleep(BUSY_RETRY_MS);
        continue;
      }
      if (!more) return;
      // Lets sends and requests run between chunks of a long catch-up.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const run = queue.then(indexAll);
    queue = run.catch(() => {});
    return run;
  }

  function committed(): void {
    if (timer || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      flush().catch((error: unknown) => {
        onError(error);
        committed(); // the messages are still above the mark: try again later
      });
    }, INDEX_DELAY_MS);
    timer.unref();
  }

  return {
    committed,
    flush,
    async close() {
      closed = true;
      // What this cannot index now, the next start does.
      await flush().catch(onError);
      sqlite.close();
    },
  };
}
