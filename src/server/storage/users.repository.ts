import type { Insertable, Selectable } from "kysely";
import { DELETED_USERNAME, type UserSettings } from "../../protocol/index.js";
import type { Db } from "./database.js";
import type { UsersTable } from "./schema.js";

export type UserRow = Selectable<UsersTable>;

/** The settings columns, in the order of UserSettings. */
export const SETTINGS_COLUMNS = [
  "users.share_read_receipts",
  "users.share_last_seen",
  "users.push_previews",
  "users.email_notifications",
] as const;

type SettingsColumns = Pick<
  UserRow,
  "share_read_receipts" | "share_last_seen" | "push_previews" | "email_notifications"
>;

export function settingsOf(row: SettingsColumns): UserSettings {
  return {
    shareReadReceipts: row.share_read_receipts === 1,
    shareLastSeen: row.share_last_seen === 1,
    pushPreviews: row.push_previews === 1,
    emailNotifications: row.email_notifications === 1,
  };
}

const flag = (value: boolean | undefined) => (value === undefined ? undefined : value ? 1 : 0);

export function createUsersRepository(db: Db) {
  return {
    async insert(user: Insertable<UsersTable>): Promise<void> {
      await db.insertInto("users").values(user).execute();
    },
    findByEmail(email: string): Promise<UserRow | undefined> {
      return db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
    },
    findById(id: string): Promise<UserRow | undefined> {
      return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
    },
    async setPasswordHash(id: string, passwordHash: string): Promise<void> {
      await db.updateTable("users").set({ password_hash: passwordHash }).where("id", "=", id).execute();
    },
    /** Admin: no more sign-in or mail for this account (its sessions are deleted by the caller). */
    async disable(id: string, now: number): Promise<void> {
      await db.updateTable("users").set({ disabled_at: now }).where("id", "=", id).execute();
    },
    /** Also true for the name deleted accounts show, which nobody may take. */
    async usernameTaken(username: string): Promise<boolean> {
      if (username === DELETED_USERNAME) return true;
      const row = await db
        .selectFrom("users")
        .select("id")
        .where("username", "=", username)
        .executeTakeFirst();
      return row !== undefined;
    },
    /** Changes the given settings (absent keys stay) and returns all of them. */
    async updateSettings(id: string, patch: Partial<UserSettings>): Promise<UserSettings> {
      const columns = {
        share_read_receipts: flag(patch.shareReadReceipts),
        share_last_seen: flag(patch.shareLastSeen),
        push_previews: flag(patch.pushPreviews),
        email_notifications: flag(patch.emailNotifications),
      };
      const changed = Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
      if (Object.keys(changed).length > 0) {
        await db.updateTable("users").set(changed).where("id", "=", id).execute();
      }
      const row = await db
        .selectFrom("users")
        .select(SETTINGS_COLUMNS)
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      return settingsOf(row);
    },
    /** Every account, oldest first (for the admin tool). */
    list(): Promise<Array<Pick<UserRow, "id" | "email" | "username" | "created_at">>> {
      return db
        .selectFrom("users")
        .select(["id", "email", "username", "created_at"])
        .orderBy("created_at")
        .orderBy("id")
        .execute();
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;
