import type { Insertable } from "kysely";
import type { UserSettings } from "../../protocol/index.js";
import type { Db } from "./database.js";
import type { SessionsTable } from "./schema.js";
import { SETTINGS_COLUMNS, settingsOf } from "./users.repository.js";

export interface SessionWithUser {
  sessionId: string;
  expiresAt: number;
  /** Null until first recorded (sessions made before it was kept). */
  lastUsedAt: number | null;
  user: { id: string; username: string; email: string; settings: UserSettings };
}

export function createSessionsRepository(db: Db) {
  return {
    async insert(session: Insertable<SessionsTable>): Promise<void> {
      await db.insertInto("sessions").values(session).execute();
    },
    async findValid(id: string, now: number): Promise<SessionWithUser | undefined> {
      const row = await db
        .selectFrom("sessions")
        .innerJoin("users", "users.id", "sessions.user_id")
        .select([
          "sessions.id",
          "sessions.expires_at",
          "sessions.last_used_at",
          "users.id as user_id",
          "users.username",
          "users.email",
          ...SETTINGS_COLUMNS,
        ])
        .where("sessions.id", "=", id)
        .where("sessions.expires_at", ">", now)
        .where("users.disabled_at", "is", null)
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        sessionId: row.id,
        expiresAt: row.expires_at,
        lastUsedAt: row.last_used_at,
        user: { id: row.user_id, username: row.username, email: row.email, settings: settingsOf(row) },
      };
    },
    /** The expiry of each of `ids` that is still valid at `now`; ended sessions are absent. */
    async expiriesOf(ids: string[], now: number): Promise<Map<string, number>> {
      if (ids.length === 0) return new Map();
      const rows = await db
        .selectFrom("sessions")
        .select(["id", "expires_at"])
        .where("id", "in", ids)
        .where("expires_at", ">", now)
        .execute();
      return new Map(rows.map((row) => [row.id, row.expires_at]));
    },
    async extend(id: string, expiresAt: number): Promise<void> {
      await db.updateTable("sessions").set({ expires_at: expiresAt }).where("id", "=", id).execute();
    },
    async delete(id: string): Promise<void> {
      await db.deleteFrom("sessions").where("id", "=", id).execute();
    },
    async touch(id: string, lastUsedAt: number): Promise<void> {
      await db.updateTable("sessions").set({ last_used_at: lastUsedAt }).where("id", "=", id).execute();
    },
    /** The user's sessions still valid at `now`, newest first. */
    listForUser(userId: string, now: number) {
      return db
        .selectFrom("sessions")
        .select(["id", "created_at", "last_used_at", "user_agent"])
        .where("user_id", "=", userId)
        .where("expires_at", ">", now)
        .orderBy("created_at", "desc")
        .orderBy("id")
        .execute();
    },
    /** Deletes every session of the user but `keepId`; answers the ids it deleted. */
    async deleteForUser(userId: string, keepId?: string): Promise<string[]> {
      let query = db.deleteFrom("sessions").where("user_id", "=", userId);
      if (keepId) query = query.where("id", "<>", keepId);
      const rows = await query.returning("id").execute();
      return rows.map((row) => row.id);
    },
    async deleteExpired(now: number): Promise<void> {
      await db.deleteFrom("sessions").where("expires_at", "<=", now).execute();
    },
  };
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
