import type { Db } from "./database.js";
import type { MemberRole } from "./schema.js";

export interface ExportChatRow {
  id: string;
  kind: "direct" | "group";
  title: string | null;
  created_at: number;
  cleared_seq: number;
  visible_from_seq: number;
}

export interface ExportMemberRow {
  chat_id: string;
  id: string;
  username: string;
  role: MemberRole;
}

/** What an account export reads beyond message pages: the account and every chat it is still in. */
export function createExportRepository(db: Db) {
  return {
    account(userId: string) {
      return db
        .selectFrom("users")
        .select(["id", "username", "email", "created_at"])
        .where("id", "=", userId)
        .executeTakeFirst();
    },
    /** Chats the user is a member of (removed from their list included, left ones not). */
    chatsOf(userId: string): Promise<ExportChatRow[]> {
      return db
        .selectFrom("chat_members as cm")
        .innerJoin("chats as c", "c.id", "cm.chat_id")
        .select(["c.id", "c.kind", "c.title", "c.created_at", "cm.cleared_seq", "cm.visible_from_seq"])
        .where("cm.user_id", "=", userId)
        .where("cm.left_at", "is", null)
        .orderBy("c.created_at")
        .orderBy("c.id")
        .execute();
    },
    membersOf(chatIds: string[]): Promise<ExportMemberRow[]> {
      if (chatIds.length === 0) return Promise.resolve([]);
      return db
        .selectFrom("chat_members as cm")
        .innerJoin("users as u", "u.id", "cm.user_id")
        .select(["cm.chat_id", "u.id", "u.username", "cm.role"])
        .where("cm.chat_id", "in", chatIds)
        .where("cm.left_at", "is", null)
        .orderBy("u.username")
        .execute();
    },
  };
}

export type ExportRepository = ReturnType<typeof createExportRepository>;
