import type { PresenceStore } from "../domain/presence-store.js";
import type { Db } from "./database.js";

export interface SqlPresenceOptions {
  nodeId: string;
  /** A node whose heartbeat is older than this is given up for dead. */
  heartbeatTtlMs: number;
  now: () => number;
}

/**
 * Presence in the shared database, for `--workers` without Redis. Each change takes the user's
 * row first (an UPDATE that changes nothing, a row lock on PostgreSQL and the write lock on
 * SQLite), so of two sockets of one user arriving or leaving at once exactly one is the first or
 * the last. A worker that is killed is swept by a survivor once its heartbeat is too old.
 */
export function createSqlPresenceStore(db: Db, options: SqlPresenceOptions): PresenceStore {
  const self = options.nodeId;
  let registered = false;

  const lockUser = (trx: Db, userId: string) =>
    trx
      .updateTable("users")
      .set((eb) => ({ last_seen_at: eb.ref("last_seen_at") }))
      .where("id", "=", userId)
      .execute();

  const countOf = async (trx: Db, userId: string) => {
    const row = await trx
      .selectFrom("presence_sockets")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("user_id", "=", userId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  };

  async function add(userId: string, socketId: string): Promise<boolean> {
    return db.transaction().execute(async (trx) => {
      await lockUser(trx, userId);
      await trx
        .insertInto("presence_sockets")
        .values({ socket_id: socketId, user_id: userId, node_id: self })
        .onConflict((oc) => oc.column("socket_id").doNothing())
        .execute();
      return (await countOf(trx, userId)) === 1;
    });
  }

  async function remove(userId: string, socketId: string): Promise<boolean> {
    return db.transaction().execute(async (trx) => {
      await lockUser(trx, userId);
      const result = await trx
        .deleteFrom("presence_sockets")
        .where("socket_id", "=", socketId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) === 1 && (await countOf(trx, userId)) === 0;
    });
  }

  return {
    add,
    remove,

    async onlineAmong(userIds) {
      const online = new Set<string>();
      for (let i = 0; i < userIds.length; i += 500) {
        const rows = await db
          .selectFrom("presence_sockets")
          .select("user_id")
          .distinct()
          .where("user_id", "in", userIds.slice(i, i + 500))
          .execute();
        for (const row of rows) online.add(row.user_id);
      }
      return online;
    },

    async heartbeat(local) {
      const at = options.now();
      const updated = await db
        .updateTable("presence_nodes")
        .set({ alive_at: at })
        .where("id", "=", self)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 1) return [];
      await db.insertInto("presence_nodes").values({ id: self, alive_at: at }).execute();
      const wasGivenUp = registered;
      registered = true;
      if (!wasGivenUp) return [];
      const back: string[] = [];
      for (const { userId, socketId } of local()) if (await add(userId, socketId)) back.push(userId);
      return back;
    },

    async sweep() {
      const dead = await db
        .selectFrom("presence_nodes")
        .select(["id", "alive_at"])
        .where("id", "<>", self)
        .where("alive_at", "<", options.now() - options.heartbeatTtlMs)
        .execute();
      const offline: Array<{ userId: string; lastSeenAt: number }> = [];
      for (const node of dead) {
        // Only one survivor wins the claim.
        const claimed = await db
          .deleteFrom("presence_nodes")
          .where("id", "=", node.id)
          .where("alive_at", "=", node.alive_at)
          .executeTakeFirst();
        if (Number(claimed.numDeletedRows) !== 1) continue;
        const sockets = await db
          .selectFrom("presence_sockets")
          .select(["user_id", "socket_id"])
          .where("node_id", "=", node.id)
          .execute();
        for (const s of sockets)
          if (await remove(s.user_id, s.socket_id))
            offline.push({ userId: s.user_id, lastSeenAt: Number(node.alive_at) });
      }
      return offline;
    },

    async close() {
      // Left for a survivor (or the next start) to sweep at once: sockets not yet removed go offline.
      await db.updateTable("presence_nodes").set({ alive_at: 0 }).where("id", "=", self).execute();
    },
  };
}
