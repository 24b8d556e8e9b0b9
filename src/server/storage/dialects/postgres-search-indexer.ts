import type pg from "pg";
import type { SearchIndexer } from "../search-indexer.js";

/**
 * How long after a commit its messages are indexed: long enough to index many commits at once
 * (`npm run bench`, closed loop: 50 ms cost 10–12 % of the send throughput, 200 ms about 4 %).
 */
export const INDEX_DELAY_MS = 200;
/** Chats indexed by one statement, and messages of one chat: bounds one statement's time. */
const CHATS_PER_STEP = 200;
const MESSAGES_PER_CHAT = 5000;

export interface PostgresSearchIndexerOptions {
  /** Every this often, chats any node left behind (it died between a commit and its indexing) are indexed. */
  sweepIntervalMs: number;
}

/**
 * PostgreSQL's post-commit indexer (schema and locking: migration 013-postgres-search-after-commit).
 * The node that committed a batch names its chats; INDEX_DELAY_MS later one call of
 * glasschat_search_index indexes all of them (one transaction, one round trip). Its pool commits
 * with synchronous_commit off: a commit lost with the database server takes its marks with it, so
 * the sweep does it again. The sweep (at start, then every sweepIntervalMs) indexes every chat
 * whose last_seq is above its mark: whatever a killed node committed and did not index. Any number
 * of nodes may index the same chat at once: the mark row's lock orders them, and the second finds
 * nothing left to do.
 */
export function createPostgresSearchIndexer(
  pool: pg.Pool,
  options: PostgresSearchIndexerOptions,
  onError: (error: unknown) => void,
): SearchIndexer {
  const waiting = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let queue: Promise<void> = Promise.resolve();
  let closed = false;

  async function index(chats: string[]): Promise<void> {
    let todo = [...chats].sort();
    while (todo.length > 0) {
      const step = todo.slice(0, CHATS_PER_STEP);
      const { rows } = await pool.query<{ more: number }>(
        "select glasschat_search_index($1::text[], $2) as more",
        [step, MESSAGES_PER_CHAT],
      );
      // A chat with more than one chunk left stays in the list.
      todo = (rows[0]?.more ?? 0) > 0 ? todo : todo.slice(CHATS_PER_STEP);
    }
  }

  /** Chats whose newest messages are above their mark. */
  async function behind(): Promise<string[]> {
    const { rows } = await pool.query<{ id: string }>(
      `select c.id from chats c left join search_marks k on k.chat_id = c.id
       where c.last_seq > coalesce(k.up_to, 0)`,
    );
    return rows.map((r) => r.id);
  }

  /** Runs one after the other: a run asked for during another one starts after it. */
  function enqueue(run: () => Promise<void>): Promise<void> {
    const next = queue.then(run);
    queue = next.catch(() => {});
    return next;
  }

  function indexWaiting(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    return enqueue(async () => {
      const chats = [...waiting];
      waiting.clear();
      try {
        await index(chats);
      } catch (error) {
        for (const chat of chats) waiting.add(chat);
        throw error;
      }
    });
  }

  function schedule(): void {
    if (timer || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      indexWaiting().catch((error: unknown) => {
        onError(error);
        schedule(); // the chats are still waiting: try again later
      });
    }, INDEX_DELAY_MS);
    timer.unref();
  }

  const sweep = () => enqueue(async () => index(await behind()));
  const sweeper = setInterval(() => {
    sweep().catch(onError);
  }, options.sweepIntervalMs);
  sweeper.unref();

  return {
    committed(chatIds) {
      for (const chat of chatIds) waiting.add(chat);
      if (waiting.size > 0) schedule();
    },
    async flush() {
      await indexWaiting();
      await sweep();
    },
    async close() {
      closed = true;
      clearInterval(sweeper);
      // What this cannot index now, the next sweep of any node does.
      await indexWaiting().catch(onError);
      await pool.end();
    },
  };
}
