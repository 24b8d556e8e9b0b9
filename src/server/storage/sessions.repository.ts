import type { UserSettings } from "../../protocol/index.js";
import type { Db } from "./database.js";
import type { SessionsTable } from "./schema.js";
import { SETTINGS_COLUMNS, settingsOf } from "./users.repository.js";

export interface SessionWithUser {
  sessionId: string;
  expiresAt: number;
  user: { id: string; username: string; email: string; settings: UserSettings };
}

export function createSessionsRepository(db: Db) {
  return {
    async insert(session: SessionsTable): Promise<void> {
      await db.insertInto("sessions").values(session).execute();
    },
    async findValid(id: string, now: number): Promise<SessionWithUser | undefined> {
      const row = await db
        .selectFrom("sessions")
        .innerJoin("users", "users.id", "sessions.user_id")
        .select([
          "sessions.id",
          "sessions.expires_at",
          "users.id as user_id",
          "users.username",
          "users.email",
          ...SETTINGS_COLUMNS,
        ])
        .where("sessions.id", "=", id)
        .where("sessions.expires_at", ">", now)
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        sessionId: row.id,
        expiresAt: row.expires_at,
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
    async deleteExpired(now: number): Promise<void> {
      await db.deleteFrom("sessions").where("expires_at", "<=", now).execute();
    },
  };
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
