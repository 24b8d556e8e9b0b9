import type { MessageWriter } from "./messages.repository.js";

/**
 * Indexes stored messages for search after their commit, off the send path (see migration
 * 011-search-after-commit). A dialect whose index follows every write by itself (PostgreSQL's GIN
 * index) has none.
 */
export interface SearchIndexer {
  /** Messages were committed: they are indexed shortly after (cheap; call as often as you like). */
  committed(): void;
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
      indexer.committed();
      return results;
    },
    close: () => writer.close(),
  };
}
