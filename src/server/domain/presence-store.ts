/**
 * Where the server keeps who is connected: in this process alone, or in Redis for every node.
 * Each method is atomic in the store, so two sockets of one user connecting on two nodes at once
 * make exactly one of them the user's first (and likewise for the last one leaving).
 */
export interface PresenceStore {
  /** Records a socket; true when it is the user's first connected socket anywhere. */
  add(userId: string, socketId: string): Promise<boolean>;
  /** Forgets a socket; true when it was the user's last connected socket anywhere. */
  remove(userId: string, socketId: string): Promise<boolean>;
  /** Which of these users have at least one connected socket. */
  onlineAmong(userIds: string[]): Promise<Set<string>>;
  /**
   * Tells the store this node is alive. If other nodes had given it up for dead meanwhile (and
   * swept its sockets), its sockets are recorded again: answers the users that thereby came back.
   */
  heartbeat(local: () => Array<{ userId: string; socketId: string }>): Promise<string[]>;
  /** Sweeps nodes whose heartbeat ran out: the users who thereby went offline, and when. */
  sweep(): Promise<Array<{ userId: string; lastSeenAt: number }>>;
  close(): Promise<void>;
}

/** One process: it cannot outlive its own sockets, so nothing needs a heartbeat. */
export function createMemoryPresenceStore(): PresenceStore {
  const sockets = new Map<string, Set<string>>();
  return {
    async add(userId, socketId) {
      const set = sockets.get(userId) ?? new Set<string>();
      set.add(socketId);
      sockets.set(userId, set);
      return set.size === 1;
    },
    async remove(userId, socketId) {
      const set = sockets.get(userId);
      if (!set?.delete(socketId)) return false;
      if (set.size > 0) return false;
      sockets.delete(userId);
      return true;
    },
    async onlineAmong(userIds) {
      return new Set(userIds.filter((id) => sockets.has(id)));
    },
    async heartbeat() {
      return [];
    },
    async sweep() {
      return [];
    },
    async close() {},
  };
}
