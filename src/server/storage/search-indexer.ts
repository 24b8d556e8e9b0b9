import type { MessageWriter } from "./messages.repository.js";

/**
 * Indexes stored messages for search after their commit, off the send path (migrations
 * 011-search-after-commit for SQLite, 013-postgres-search-after-commit for PostgreSQL).
 */
export interface SearchIndexer {
  /** Messages of these chats were committed: they are indexed shortly after (cheap; call as often as you like). */
  committed(chatIds: readonly string[]): void;
  /** Indexes every message not indexed yet, now; resolves when done. */
  flush(): Promise<void>;
  /** Indexes what is left and closes the indexer's connection. */
  close(): Promise<void>;
}

/** The one post-commit hook of the send path: every batch a writer commits is handed to the indexer. */
export function indexAfterCommit(writer: MessageWriter, indexer: SearchIndexer): MessageWriter {
  return {
    async storeBatch(batch) {
      const results = await writer.storeBatch(batch);
      indexer.committed(batch.flatMap((m, i) => (results[i]?.kind === "stored" ? [m.chatId] : [])));
      return results;
    },
    close: () => writer.close(),
  };
}
