import { type Expression, type ExpressionBuilder, type SqlBool, sql } from "kysely";
import type { Db } from "./database.js";
import { notHiddenFor } from "./message-rows.js";
import type { Database, FilesTable } from "./schema.js";

export type FileRow = FilesTable;

/** What a message keeps of each attached file (messages.files, JSON). */
export interface StoredFileRef {
  id: string;
  name: string;
  type: string;
  size: number;
  width?: number;
  height?: number;
  thumb: boolean;
}

export type NewFileRow = Omit<FileRow, "chat_id" | "client_id" | "seq">;

type FilesScope = ExpressionBuilder<Database & { f: FilesTable }, "f">;

/** Someone who may see the message `f` is attached to: a current member it is visible to. */
function visibleToSomeMember(eb: FilesScope, userId?: string): Expression<SqlBool> {
  let members = eb
    .selectFrom("chat_members as cm")
    .select("cm.user_id")
    .whereRef("cm.chat_id", "=", "f.chat_id")
    .where("cm.left_at", "is", null)
    .whereRef("cm.cleared_seq", "<", "f.seq")
    .whereRef("cm.visible_from_seq", "<=", "f.seq")
    .where(notHiddenFor("cm", "f"));
  if (userId !== undefined) members = members.where("cm.user_id", "=", userId);
  return eb.and([eb("f.seq", "is not", null), eb.exists(members)]);
}

export function createFilesRepository(db: Db) {
  return {
    /** Inserts the file unless it would take its owner past `quota` bytes; false then. */
    async insertWithinQuota(row: NewFileRow, quota: number): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        // Takes SQLite's write lock first, so two uploads of one user cannot both pass the check.
        await trx.updateTable("users").set({ id: row.owner_id }).where("id", "=", row.owner_id).execute();
        const used = await trx
          .selectFrom("files")
          .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("size"), sql<number>`0`).as("used"))
          .where("owner_id", "=", row.owner_id)
          .executeTakeFirstOrThrow();
        if (Number(used.used) + row.size > quota) return false;
        await trx.insertInto("files").values(row).execute();
        return true;
      });
    },

    async usedBytes(ownerId: string): Promise<number> {
      const row = await db
        .selectFrom("files")
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("size"), sql<number>`0`).as("used"))
        .where("owner_id", "=", ownerId)
        .executeTakeFirstOrThrow();
      return Number(row.used);
    },

    /** The file if `userId` may fetch it: its uploader, or a member who can see its message. */
    async findReadable(fileId: string, userId: string): Promise<FileRow | undefined> {
      return db
        .selectFrom("files as f")
        .selectAll("f")
        .where("f.id", "=", fileId)
        .where((eb) => eb.or([eb("f.owner_id", "=", userId), visibleToSomeMember(eb, userId)]))
        .executeTakeFirst();
    },

    /**
     * Claims the owner's files for their message (`chatId`, `clientId`). Files already claimed for
     * this very message (a retry) count; files of someone else, or claimed or sent elsewhere, do
     * not. Returns the files claimed for it, in any order.
     */
    async claim(ownerId: string, chatId: string, clientId: string, ids: string[]): Promise<FileRow[]> {
      await db
        .updateTable("files")
        .set({ chat_id: chatId, client_id: clientId })
        .where("id", "in", ids)
        .where("owner_id", "=", ownerId)
        .where("chat_id", "is", null)
        .execute();
      return db
        .selectFrom("files")
        .selectAll()
        .where("id", "in", ids)
        .where("owner_id", "=", ownerId)
        .where("chat_id", "=", chatId)
        .where("client_id", "=", clientId)
        .execute();
    },

    /** Gives back files claimed for a message that was not stored. */
    async release(ownerId: string, chatId: string, clientId: string): Promise<void> {
      await db
        .updateTable("files")
        .set({ chat_id: null, client_id: null })
        .where("owner_id", "=", ownerId)
        .where("chat_id", "=", chatId)
        .where("client_id", "=", clientId)
        .where("seq", "is", null)
        .execute();
    },

    /**
     * Attaches the claimed files to the stored message `seq`: the message gets them and the
     * chat's next rev (its copy without files is older), in one transaction. Returns that rev.
     */
    async attach(
      chatId: string,
      seq: number,
      ownerId: string,
      clientId: string,
      refs: StoredFileRef[],
    ): Promise<number | undefined> {
      return db.transaction().execute(async (trx) => {
        const chat = await trx
          .updateTable("chats")
          .set((eb) => ({ last_rev: eb("last_rev", "+", 1) }))
          .where("id", "=", chatId)
          .returning("last_rev")
          .executeTakeFirst();
        if (!chat) return undefined;
        await trx
          .updateTable("messages")
          .set({ files: JSON.stringify(refs), rev: chat.last_rev })
          .where("chat_id", "=", chatId)
          .where("seq", "=", seq)
          .execute();
        await trx
          .updateTable("files")
          .set({ seq })
          .where("owner_id", "=", ownerId)
          .where("chat_id", "=", chatId)
          .where("client_id", "=", clientId)
          .execute();
        return chat.last_rev;
      });
    },

    /**
     * Files nobody can have any more: never sent and older than `unsentBefore`; or sent, but
     * their message is deleted for everyone, gone, or visible to no current member (cleared for
     * everyone). `chatId` narrows the search to one chat's sent files.
     */
    async garbage(
      unsentBefore: number,
      chatId?: string,
    ): Promise<Pick<FileRow, "id" | "blob_key" | "thumb_key">[]> {
      let query = db.selectFrom("files as f").select(["f.id", "f.blob_key", "f.thumb_key"]);
      if (chatId !== undefined) query = query.where("f.chat_id", "=", chatId).where("f.seq", "is not", null);
      return query
        .where((eb) =>
          eb.or([
            eb.and([eb("f.seq", "is", null), eb("f.created_at", "<", unsentBefore)]),
            eb.and([
              eb("f.seq", "is not", null),
              eb.or([
                eb.not(
                  eb.exists(
                    eb
                      .selectFrom("messages as m")
                      .select("m.seq")
                      .whereRef("m.chat_id", "=", "f.chat_id")
                      .whereRef("m.seq", "=", "f.seq")
                      .where("m.deleted_at", "is", null),
                  ),
                ),
                eb.not(visibleToSomeMember(eb)),
              ]),
            ]),
          ]),
        )
        .execute();
    },

    /** Every file a user uploaded (account deletion). */
    async ofOwner(ownerId: string): Promise<Pick<FileRow, "id" | "blob_key" | "thumb_key">[]> {
      return db
        .selectFrom("files")
        .select(["id", "blob_key", "thumb_key"])
        .where("owner_id", "=", ownerId)
        .execute();
    },

    /** Whether any file row references this blob key. */
    async referencedKeys(keys: string[]): Promise<Set<string>> {
      if (keys.length === 0) return new Set();
      const rows = await db
        .selectFrom("files")
        .select(["blob_key", "thumb_key"])
        .where((eb) => eb.or([eb("blob_key", "in", keys), eb("thumb_key", "in", keys)]))
        .execute();
      return new Set(rows.flatMap((r) => [r.blob_key, r.thumb_key ?? ""]));
    },

    async deleteRows(ids: string[]): Promise<void> {
      if (ids.length > 0) await db.deleteFrom("files").where("id", "in", ids).execute();
    },
  };
}

export type FilesRepository = ReturnType<typeof createFilesRepository>;
