import type { PresenceEvent } from "../../protocol/index.js";
import type { PresenceRepository } from "../storage/presence.repository.js";
import type { Notifier } from "./notifier.js";
import type { PresenceStore } from "./presence-store.js";
import { allowedAmong, type Party } from "./privacy.js";
import type { ReachService } from "./reach.service.js";

export interface PresenceDeps {
  store: PresenceStore;
  repository: PresenceRepository;
  notifier: Pick<Notifier, "presence">;
  /** Blocking stops presence both ways. */
  reach: Pick<ReachService, "blockedAmong">;
  now: () => number;
  onError: (error: unknown) => void;
}

export type PresenceService = ReturnType<typeof createPresenceService>;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Online while any socket of the user is connected, on any node. Transitions (first socket in,
 * last socket out, a dead node's users swept) are announced once to each distinct peer the
 * privacy rule allows, whatever the number of chats they share. Transitions of one user are
 * handled in order on this node, so "offline" never overtakes the "online" before it.
 */
export function createPresenceService({ store, repository, notifier, reach, now, onError }: PresenceDeps) {
  const queues = new Map<string, Promise<void>>();

  function inOrder(userId: string, task: () => Promise<void>): Promise<void> {
    const previous = queues.get(userId) ?? Promise.resolve();
    const next = previous.then(task).catch(onError);
    queues.set(userId, next);
    void next.then(() => {
      if (queues.get(userId) === next) queues.delete(userId);
    });
    return next;
  }

  /** Sends the event to every peer who may see it; answers how many got it. */
  async function announce(event: PresenceEvent): Promise<number> {
    const [self, peers] = await Promise.all([
      repository.party(event.userId),
      repository.peersOf(event.userId),
    ]);
    if (!self) return 0;
    self.blockedEitherWay = await reach.blockedAmong(
      self.id,
      peers.map((p) => p.id),
    );
    const allowed = allowedAmong(self, peers, "presence");
    notifier.presence(
      allowed.map((p) => p.id),
      event,
    );
    return allowed.length;
  }

  async function wentOffline(userId: string, at: number): Promise<void> {
    await repository.setLastSeen(userId, at);
    await announce({ userId, online: false, lastSeenAt: iso(await repository.lastSeenOf(userId)) });
  }

  async function cameOnline(userId: string): Promise<void> {
    // While online, lastSeenAt is the previous last-seen time.
    await announce({ userId, online: true, lastSeenAt: iso(await repository.lastSeenOf(userId)) });
  }

  return {
    announce,
    onlineAmong: (userIds: string[]) => store.onlineAmong(userIds),

    connected(userId: string, socketId: string): Promise<void> {
      return inOrder(userId, async () => {
        if (await store.add(userId, socketId)) await cameOnline(userId);
      });
    },

    disconnected(userId: string, socketId: string): Promise<void> {
      return inOrder(userId, async () => {
        if (await store.remove(userId, socketId)) await wentOffline(userId, now());
      });
    },

    /** Renews this node's heartbeat and sweeps dead nodes (both periodic). */
    async tick(local: () => Array<{ userId: string; socketId: string }>): Promise<void> {
      for (const userId of await store.heartbeat(local)) void inOrder(userId, () => cameOnline(userId));
      for (const { userId, lastSeenAt } of await store.sweep())
        void inOrder(userId, () => wentOffline(userId, lastSeenAt));
    },

    /**
     * A user's last-seen switch changed: peers who may see them now get their state, the others
     * a `presence` with nulls (forget what was shown).
     */
    async shareChanged(user: Party): Promise<void> {
      const peers = await repository.peersOf(user.id);
      user.blockedEitherWay ??= await reach.blockedAmong(
        user.id,
        peers.map((p) => p.id),
      );
      const allowed = new Set(allowedAmong(user, peers, "presence").map((p) => p.id));
      const online = (await store.onlineAmong([user.id])).has(user.id);
      const lastSeenAt = iso(await repository.lastSeenOf(user.id));
      notifier.presence([...allowed], { userId: user.id, online, lastSeenAt });
      notifier.presence(
        peers.filter((p) => !allowed.has(p.id)).map((p) => p.id),
        { userId: user.id, online: null, lastSeenAt: null },
      );
    },

    close: () => store.close(),

    /** Waits for every transition in progress (shutdown). */
    async drain(): Promise<void> {
      while (queues.size > 0) await Promise.all(queues.values());
    },
  };
}
