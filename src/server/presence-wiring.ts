import { createHash, randomUUID } from "node:crypto";
import { createMemoryPresenceStore, type PresenceStore } from "./domain/presence-store.js";
import { createRedisPresenceStore } from "./realtime/presence-redis.js";
import type { RedisAdapter } from "./realtime/redis-adapter.js";
import type { Db } from "./storage/database.js";
import { createSqlPresenceStore } from "./storage/presence-sql.js";

export interface PresenceStoreChoice {
  redis: RedisAdapter | undefined;
  /** --workers without Redis: the workers of one machine share the database. */
  workers: boolean;
  db: Db;
  /** Names the database, so nodes of different installations sharing one Redis stay apart. */
  databaseName: string;
  presenceTtlMs: number;
  now: () => number;
}

/**
 * Where presence lives: in Redis across nodes, in the shared database across --workers, else in
 * this process's memory. Across processes a heartbeat lives half of PRESENCE_TTL_S and is renewed
 * and swept every quarter of it, so a killed node's users go offline within 3/4 of it.
 */
export function choosePresenceStore(choice: PresenceStoreChoice): PresenceStore {
  const heartbeatTtlMs = choice.presenceTtlMs / 2;
  if (choice.redis) {
    return createRedisPresenceStore(choice.redis.client, {
      nodeId: randomUUID(),
      namespace: createHash("sha256").update(choice.databaseName).digest("hex").slice(0, 12),
      heartbeatTtlMs,
      now: choice.now,
    });
  }
  if (choice.workers) {
    return createSqlPresenceStore(choice.db, { nodeId: randomUUID(), heartbeatTtlMs, now: choice.now });
  }
  return createMemoryPresenceStore();
}
