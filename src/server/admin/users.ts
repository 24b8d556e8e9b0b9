import { openAdminDatabase } from "../storage/admin.js";
import { createUsersRepository } from "../storage/users.repository.js";
import type { Command } from "./command.js";

/** `users [--json]`: every account, oldest first. */
export const users: Command = async ({ args, config, out }) => {
  const database = openAdminDatabase(config.database);
  try {
    const rows = await createUsersRepository(database.db).list();
    const list = rows.map((row) => ({
      id: row.id,
      email: row.email,
      username: row.username,
      created: new Date(row.created_at).toISOString(),
    }));
    if (args.includes("--json")) {
      out(JSON.stringify(list, null, 2));
      return 0;
    }
    out(
      table(
        ["id", "email", "username", "created"],
        list.map((u) => [u.id, u.email, u.username, u.created]),
      ),
    );
    out(`${list.length} ${list.length === 1 ? "account" : "accounts"}`);
    return 0;
  } finally {
    await database.close();
  }
};

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(head), ...rows.map(line)].join("\n");
}
