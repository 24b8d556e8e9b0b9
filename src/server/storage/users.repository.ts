import type { Db } from "./database.js";
import type { UsersTable } from "./schema.js";

export type UserRow = UsersTable;

export function createUsersRepository(db: Db) {
  return {
    async insert(user: UserRow): Promise<void> {
      await db.insertInto("users").values(user).execute();
    },
    findByEmail(email: string): Promise<UserRow | undefined> {
      return db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
    },
    async usernameTaken(username: string): Promise<boolean> {
      const row = await db
        .selectFrom("users")
        .select("id")
        .where("username", "=", username)
        .executeTakeFirst();
      return row !== undefined;
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
