import type { Db } from "./database.js";
import type { PushSubscriptionsTable } from "./schema.js";

/** A subscription that a new message of a chat should reach, with what its owner allows shown. */
export interface PushTarget {
  chat_id: string;
  endpoint: string;
  user_id: string;
  p256dh: string;
  auth: string;
  push_previews: number;
}

export function createPushRepository(db: Db) {
  return {
    /**
     * Stores the subscription for this session. An endpoint is one browser profile: subscribing it
     * again (another account signed in there since) moves it to the new session. Keeps at most
     * `maxPerUser` per user, dropping the oldest.
     */
    async upsert(subscription: PushSubscriptionsTable, maxPerUser: number): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto("push_subscriptions")
          .values(subscription)
          .onConflict((oc) =>
            oc.column("endpoint").doUpdateSet({
              user_id: subscription.user_id,
              session_id: subscription.session_id,
              p256dh: subscription.p256dh,
              auth: subscription.auth,
              created_at: subscription.created_at,
            }),
          )
          .execute();
        const extra = await trx
          .selectFrom("push_subscriptions")
          .select("endpoint")
          .where("user_id", "=", subscription.user_id)
          .orderBy("created_at", "desc")
          .orderBy("endpoint")
          .offset(maxPerUser)
          .limit(1000)
          .execute();
        if (extra.length > 0) {
          await trx
            .deleteFrom("push_subscriptions")
            .where(
              "endpoint",
              "in",
              extra.map((row) => row.endpoint),
            )
            .execute();
        }
      });
    },

    async deleteOwn(userId: string, endpoint: string): Promise<void> {
      await db
        .deleteFrom("push_subscriptions")
        .where("user_id", "=", userId)
        .where("endpoint", "=", endpoint)
        .execute();
    },

    /** The push service said the subscription is gone (404/410). */
    async deleteEndpoint(endpoint: string): Promise<void> {
      await db.deleteFrom("push_subscriptions").where("endpoint", "=", endpoint).execute();
    },

    /**
     * Live subscriptions (their session still valid) of the current members of these chats, each
     * with its chat; the caller leaves out each message's sender.
     */
    targetsOf(chatIds: string[], now: number): Promise<PushTarget[]> {
      if (chatIds.length === 0) return Promise.resolve([]);
      return db
        .selectFrom("push_subscriptions as ps")
        .innerJoin("chat_members as cm", "cm.user_id", "ps.user_id")
        .innerJoin("sessions as s", "s.id", "ps.session_id")
        .innerJoin("users as u", "u.id", "ps.user_id")
        .select(["cm.chat_id", "ps.endpoint", "ps.user_id", "ps.p256dh", "ps.auth", "u.push_previews"])
        .where("cm.chat_id", "in", chatIds)
        .where("cm.left_at", "is", null)
        .where("s.expires_at", ">", now)
        .execute();
    },

    /** Whether any subscription exists at all (most servers' answer, most of the time: no). */
    async any(): Promise<boolean> {
      const row = await db.selectFrom("push_subscriptions").select("endpoint").limit(1).executeTakeFirst();
      return row !== undefined;
    },

    async chatTitle(chatId: string): Promise<{ kind: "direct" | "group"; title: string | null } | undefined> {
      return db.selectFrom("chats").select(["kind", "title"]).where("id", "=", chatId).executeTakeFirst();
    },

    /** Subscriptions of one user (tests and the account's own view). */
    endpointsOf(userId: string): Promise<string[]> {
      return db
        .selectFrom("push_subscriptions")
        .select("endpoint")
        .where("user_id", "=", userId)
        .execute()
        .then((rows) => rows.map((row) => row.endpoint));
    },
  };
}

export type PushRepository = ReturnType<typeof createPushRepository>;
