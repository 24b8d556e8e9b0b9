import type { ExpressionBuilder, Selectable } from "kysely";
import type { Db } from "./database.js";
import type { AccountTokensTable, Database } from "./schema.js";

export type AccountTokenRow = Selectable<AccountTokensTable>;
type Kind = AccountTokensTable["kind"];

/** Not used, not revoked, and (with `now`) not expired. */
const pending = (now?: number) => (eb: ExpressionBuilder<Database, "account_tokens">) =>
  eb.and([
    eb("used_at", "is", null),
    eb("revoked_at", "is", null),
    ...(now === undefined ? [] : [eb("expires_at", ">", now)]),
  ]);

/** Single-use links (password resets, invitations), looked up by the hash of their token. */
export function createAccountTokensRepository(db: Db) {
  return {
    async insert(row: AccountTokenRow): Promise<void> {
      await db.insertInto("account_tokens").values(row).execute();
    },

    /**
     * Marks a usable token used and returns it; undefined when it is used, revoked, expired or
     * unknown. One UPDATE, so two racing uses cannot both succeed.
     */
    claim(kind: Kind, tokenHash: string, now: number): Promise<AccountTokenRow | undefined> {
      return db
        .updateTable("account_tokens")
        .set({ used_at: now })
        .where("token_hash", "=", tokenHash)
        .where("kind", "=", kind)
        .where(pending(now))
        .returningAll()
        .executeTakeFirst();
    },

    /** Gives a claimed token back (what it was for could not be done). */
    async unclaim(id: string): Promise<void> {
      await db.updateTable("account_tokens").set({ used_at: null }).where("id", "=", id).execute();
    },

    findUsable(kind: Kind, tokenHash: string, now: number): Promise<AccountTokenRow | undefined> {
      return db
        .selectFrom("account_tokens")
        .selectAll()
        .where("token_hash", "=", tokenHash)
        .where("kind", "=", kind)
        .where(pending(now))
        .executeTakeFirst();
    },

    /** Invitations of `userId` not used, revoked or expired, newest first. */
    pendingInvitations(userId: string, now: number): Promise<AccountTokenRow[]> {
      return db
        .selectFrom("account_tokens")
        .selectAll()
        .where("user_id", "=", userId)
        .where("kind", "=", "invite")
        .where(pending(now))
        .orderBy("created_at", "desc")
        .orderBy("id")
        .execute();
    },

    /** The inviters with a pending invitation to `email`. */
    async pendingInvitersOf(email: string, now: number): Promise<string[]> {
      const rows = await db
        .selectFrom("account_tokens")
        .select("user_id")
        .distinct()
        .where("email", "=", email)
        .where("kind", "=", "invite")
        .where(pending(now))
        .execute();
      return rows.flatMap((row) => (row.user_id ? [row.user_id] : []));
    },

    /** Revokes one pending invitation of `userId`; false when there is none with that id. */
    async revokeInvitation(id: string, userId: string, now: number): Promise<boolean> {
      const result = await db
        .updateTable("account_tokens")
        .set({ revoked_at: now })
        .where("id", "=", id)
        .where("user_id", "=", userId)
        .where("kind", "=", "invite")
        .where(pending(now))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** Ends every pending token of this kind for an email (e.g. once it has an account). */
    async closePendingFor(kind: Kind, email: string, now: number): Promise<void> {
      await db
        .updateTable("account_tokens")
        .set({ used_at: now })
        .where("email", "=", email)
        .where("kind", "=", kind)
        .where(pending())
        .execute();
    },

    async revokeEverythingOf(userId: string, now: number): Promise<void> {
      await db
        .updateTable("account_tokens")
        .set({ revoked_at: now })
        .where("user_id", "=", userId)
        .where(pending())
        .execute();
    },
  };
}

export type AccountTokensRepository = ReturnType<typeof createAccountTokensRepository>;
