import type { PresenceStore } from "../domain/presence-store.js";
import type { RedisCommandClient as RedisClient } from "./redis-adapter.js";

export interface RedisPresenceOptions {
  nodeId: string;
  /** Distinguishes deployments that share one Redis (e.g. a hash of the database). */
  namespace: string;
  /** How long a node's heartbeat lives without renewal. */
  heartbeatTtlMs: number;
  now: () => number;
}

/**
 * Presence in Redis, shared by every node: per user a hash socketId → nodeId, per node the set of
 * its sockets and a heartbeat key with a TTL. A node that stops renewing its heartbeat (killed)
 * is claimed by exactly one survivor (HDEL answers 1 once), which removes its sockets and reports
 * the users left without any, as last seen when the dead node last renewed.
 */
export function createRedisPresenceStore(client: RedisClient, options: RedisPresenceOptions): PresenceStore {
  const prefix = `glasschat:${options.namespace}:presence:`;
  const userKey = (userId: string) => `${prefix}u:${userId}`;
  const nodeSocketsKey = (nodeId: string) => `${prefix}n:${nodeId}:sockets`;
  const aliveKey = (nodeId: string) => `${prefix}alive:${nodeId}`;
  const nodesKey = `${prefix}nodes`;
  const self = options.nodeId;
  let registered = false;
  const entry = (userId: string, socketId: string) => `${userId} ${socketId}`;

  async function add(userId: string, socketId: string): Promise<boolean> {
    const [, , count] = await client
      .multi()
      .hSet(userKey(userId), socketId, self)
      .sAdd(nodeSocketsKey(self), entry(userId, socketId))
      .hLen(userKey(userId))
      .exec();
    return Number(count) === 1;
  }

  /** Removes one socket of a node; true when the user has none left. */
  async function removeOf(nodeId: string, userId: string, socketId: string): Promise<boolean> {
    const [removed, , count] = await client
      .multi()
      .hDel(userKey(userId), socketId)
      .sRem(nodeSocketsKey(nodeId), entry(userId, socketId))
      .hLen(userKey(userId))
      .exec();
    return Number(removed) === 1 && Number(count) === 0;
  }

  return {
    add,
    remove: (userId, socketId) => removeOf(self, userId, socketId),

    async onlineAmong(userIds) {
      if (userIds.length === 0) return new Set();
      const multi = client.multi();
      for (const id of userIds) multi.exists(userKey(id));
      const replies = await multi.exec();
      return new Set(userIds.filter((_, i) => Number(replies[i]) === 1));
    },

    async heartbeat(local) {
      const at = options.now();
      const [, added] = await client
        .multi()
        .set(aliveKey(self), String(at), { PX: options.heartbeatTtlMs })
        .hSet(nodesKey, self, String(at))
        .exec();
      const wasGivenUp = registered && Number(added) === 1;
      registered = true;
      if (!wasGivenUp) return [];
      const back: string[] = [];
      for (const { userId, socketId } of local()) if (await add(userId, socketId)) back.push(userId);
      return back;
    },

    async sweep() {
      const nodes = await client.hGetAll(nodesKey);
      const offline: Array<{ userId: string; lastSeenAt: number }> = [];
      for (const [nodeId, lastAlive] of Object.entries(nodes)) {
        if (nodeId === self || (await client.exists(aliveKey(nodeId))) === 1) continue;
        // Only one survivor wins the claim.
        if ((await client.hDel(nodesKey, nodeId)) !== 1) continue;
        const entries = await client.sMembers(nodeSocketsKey(nodeId));
        for (const item of entries) {
          const [userId = "", socketId = ""] = item.split(" ");
          if (await removeOf(nodeId, userId, socketId))
            offline.push({ userId, lastSeenAt: Number(lastAlive) });
        }
        await client.del(nodeSocketsKey(nodeId));
      }
      return offline;
    },

    async close() {
      // Sockets still recorded (a disconnect not processed before the stop) are swept by a survivor.
      await client.del(aliveKey(self));
    },
  };
}
