import type { TestServer } from "./server.js";

/**
 * Resolves once everything stored so far is in the search index: both dialects index new messages
 * shortly after their commit, so a test that checks what search must NOT show waits for this first
 * (else the absence would prove nothing).
 */
export async function searchIndexed(server: TestServer): Promise<void> {
  await server.app.database.searchIndexer?.flush();
}
