import type { Transaction } from "kysely";
import { type ChatListData, type ChatListRow, MEMBER_COLUMNS } from "./chats.repository.js";
import type { Db } from "./database.js";
import { lastVisibleSeq, rowsByKeys, unreadCount } from "./message-rows.js";
import type { ChatsTable, Database, MemberRole } from "./schema.js";

export interface GroupMemberState {
  userId: string;
  role: MemberRole;
  joinedAt: number;
  /** The first seq they see: orders members who joined in the same millisecond. */
  visibleFromSeq: number;
}

/** A chat as a group change sees it, read under the chat row's lock. */
export interface GroupState {
  chatId: string;
  kind: ChatsTable["kind"];
  title: string | null;
  /** Current members (not left), longest-standing first. */
  members: GroupMemberState[];
}

/** The system message a change writes: `system` is the protocol's SystemInfo. */
export interface SystemEntry {
  senderId: string;
  system: { event: string; userIds: string[]; title?: string };
}

/** What one change does, decided by the domain from a GroupState. */
export interface GroupChange {
  /** Written in order, each with the chat's next seq and rev. */
  entries: SystemEntry[];
  title?: string;
  /** Users who become members (again): role `member`, seeing the chat from their entry on. */
  add?: string[];
  roles?: { userId: string; role: MemberRole }[];
  /** Users who leave or are removed. */
  leave?: string[];
  /** The last member left: the chat and its history go. */
  deleteChat?: boolean;
}

export interface StoredEntry {
  seq: number;
  rev: number;
  createdAt: number;
  clientId: string;
  senderId: string;
  system: string;
}

export interface AppliedChange {
  state: GroupState;
  change: GroupChange;
  entries: StoredEntry[];
  /** Members whose chat (removed from their list) came back with the system message. */
  restoredFor: string[];
}

const systemClientId = (seq: number) => `system:${seq}`;

async function loadState(trx: Transaction<Database> | Db, chatId: string): Promise<GroupState | undefined> {
  const chat = await trx
    .selectFrom("chats")
    .select(["id", "kind", "title"])
    .where("id", "=", chatId)
    .executeTakeFirst();
  if (!chat) return undefined;
  const members = await trx
    .selectFrom("chat_members")
    .select(["user_id", "role", "joined_at", "visible_from_seq"])
    .where("chat_id", "=", chatId)
    .where("left_at", "is", null)
    .orderBy("joined_at")
    .orderBy("visible_from_seq")
    .orderBy("user_id")
    .execute();
  return {
    chatId: chat.id,
    kind: chat.kind,
    title: chat.title,
    members: members.map((m) => ({
      userId: m.user_id,
      role: m.role,
      joinedAt: Number(m.joined_at),
      visibleFromSeq: m.visible_from_seq,
    })),
  };
}

export function createGroupsRepository(db: Db) {
  /** Appends system messages after the chat's counters (the caller holds the chat row's lock). */
  async function writeEntries(
    trx: Transaction<Database>,
    chatId: string,
    entries: SystemEntry[],
    now: number,
  ): Promise<StoredEntry[]> {
    if (entries.length === 0) return [];
    const bumped = await trx
      .updateTable("chats")
      .set((eb) => ({
        last_seq: eb("last_seq", "+", entries.length),
        last_rev: eb("last_rev", "+", entries.length),
        last_activity_at: now,
      }))
      .where("id", "=", chatId)
      .returning(["last_seq", "last_rev"])
      .executeTakeFirstOrThrow();
    const seqBase = bumped.last_seq - entries.length;
    const revBase = bumped.last_rev - entries.length;
    const stored = entries.map((entry, i) => ({
      seq: seqBase + i + 1,
      rev: revBase + i + 1,
      createdAt: now,
      clientId: systemClientId(seqBase + i + 1),
      senderId: entry.senderId,
      system: JSON.stringify(entry.system),
    }));
    await trx
      .insertInto("messages")
      .values(
        stored.map((e) => ({
          chat_id: chatId,
          seq: e.seq,
          rev: e.rev,
          created_rev: e.rev,
          sender_id: e.senderId,
          client_id: e.clientId,
          body: "",
          created_at: e.createdAt,
          system: e.system,
        })),
      )
      .execute();
    return stored;
  }

  return {
    /** The accounts with these (normalised) emails; unknown ones are simply absent. */
    async usersByEmails(emails: string[]): Promise<{ id: string; username: string; email: string }[]> {
      if (emails.length === 0) return [];
      return db
        .selectFrom("users")
        .select(["id", "username", "email"])
        .where("email", "in", emails)
        .execute();
    },

    /**
     * One chat as each of these members sees it, in a handful of queries whatever their number
     * (a change reaches every member of a group of up to GROUP_MAX_MEMBERS). The same rules as
     * chats.repository's listForUser, which serves one viewer: members who left or removed the
     * chat from their list are absent; system messages, tombstones and hidden messages never
     * count as unread.
     */
    async viewsOf(chatId: string, userIds: string[]): Promise<Map<string, ChatListData>> {
      if (userIds.length === 0) return new Map();
      const [viewerRows, members] = await Promise.all([
        db
          .selectFrom("chat_members as cm")
          .innerJoin("chats as c", "c.id", "cm.chat_id")
          .select((eb) => [
            "cm.user_id",
            "c.id",
            "c.kind",
            "c.title",
            "c.created_at",
            "c.last_activity_at",
            "c.last_rev",
            "cm.cleared_seq",
            "cm.visible_from_seq",
            "cm.hidden_pos",
            lastVisibleSeq(eb),
            unreadCount(eb),
          ])
          .where("cm.chat_id", "=", chatId)
          .where("cm.user_id", "in", userIds)
          .where("cm.removed_at", "is", null)
          .where("cm.left_at", "is", null)
          .execute(),
        db
          .selectFrom("chat_members as cm")
          .innerJoin("users as u", "u.id", "cm.user_id")
          .select(MEMBER_COLUMNS)
          .where("cm.chat_id", "=", chatId)
          .where("cm.left_at", "is", null)
          .orderBy("cm.joined_at")
          .orderBy("u.username")
          .execute(),
      ]);
      const seqs = [
        ...new Set(
          viewerRows.flatMap((r) => (r.last_visible_seq === null ? [] : [Number(r.last_visible_seq)])),
        ),
      ];
      const { rows: lastMessages, reactions } = await rowsByKeys(
        db,
        seqs.map((seq) => ({ chatId, seq })),
      );
      const views = new Map<string, ChatListData>();
      for (const { user_id, unread, ...row } of viewerRows) {
        const chat: ChatListRow = {
          ...row,
          last_visible_seq: row.last_visible_seq === null ? null : Number(row.last_visible_seq),
        };
        views.set(user_id, {
          chats: [chat],
          members,
          unread: new Map([[chatId, Number(unread ?? 0)]]),
          lastMessages: lastMessages.filter((m) => m.seq === chat.last_visible_seq),
          reactions: reactions.filter((r) => r.seq === chat.last_visible_seq),
        });
      }
      return views;
    },

    /** The group as it is now (no lock): for the checks made before a change is tried. */
    state: (chatId: string) => loadState(db, chatId),

    /**
     * Creates a group with its owner, members and the `group_created` entry, in one transaction.
     */
    async create(group: {
      id: string;
      title: string;
      ownerId: string;
      memberIds: string[];
      now: number;
      entry: SystemEntry;
    }): Promise<StoredEntry> {
      return db.transaction().execute(async (trx) => {
        await trx
          .insertInto("chats")
          .values({
            id: group.id,
            kind: "group",
            direct_key: null,
            title: group.title,
            created_at: group.now,
            last_activity_at: group.now,
          })
          .execute();
        await trx
          .insertInto("chat_members")
          .values(
            [group.ownerId, ...group.memberIds].map((userId, i) => ({
              chat_id: group.id,
              user_id: userId,
              joined_at: group.now,
              role: i === 0 ? ("owner" as const) : ("member" as const),
            })),
          )
          .execute();
        const [stored] = await writeEntries(trx, group.id, [group.entry], group.now);
        if (!stored) throw new Error("group_created entry not written");
        return stored;
      });
    },

    /**
     * Runs one group change atomically: takes the chat row's lock (ordering it against sends and
     * other changes, on every node), reads the group, lets `decide` plan the change (it throws to
     * refuse, or returns null when nothing changes), applies it and writes its system messages.
     * Undefined: no such chat.
     */
    async change(
      chatId: string,
      now: number,
      decide: (state: GroupState) => GroupChange | null,
    ): Promise<AppliedChange | null | undefined> {
      return db.transaction().execute(async (trx) => {
        // A write first: SQLite takes the write lock here (a read first could not upgrade later).
        const locked = await trx
          .updateTable("chats")
          .set((eb) => ({ last_activity_at: eb.ref("last_activity_at") }))
          .where("id", "=", chatId)
          .returning("id")
          .executeTakeFirst();
        if (!locked) return undefined;
        const state = await loadState(trx, chatId);
        if (!state) return undefined;
        const change = decide(state);
        if (!change) return null;

        if (change.deleteChat) {
          await trx.deleteFrom("chats").where("id", "=", chatId).execute();
          return { state, change, entries: [], restoredFor: [] };
        }
        if (change.leave?.length) {
          await trx
            .updateTable("chat_members")
            .set({ left_at: now, role: "member" })
            .where("chat_id", "=", chatId)
            .where("user_id", "in", change.leave)
            .execute();
        }
        for (const { userId, role } of change.roles ?? []) {
          await trx
            .updateTable("chat_members")
            .set({ role })
            .where("chat_id", "=", chatId)
            .where("user_id", "=", userId)
            .execute();
        }
        if (change.title !== undefined) {
          await trx.updateTable("chats").set({ title: change.title }).where("id", "=", chatId).execute();
        }
        const entries = await writeEntries(trx, chatId, change.entries, now);
        const restored = await trx
          .updateTable("chat_members")
          .set({ removed_at: null })
          .where("chat_id", "=", chatId)
          .where("removed_at", "is not", null)
          .where("left_at", "is", null)
          .returning("user_id")
          .execute();
        if (change.add?.length) {
          // A new member sees the chat from the entry that added them on (the first entry).
          const from = entries[0]?.seq ?? 0;
          for (const userId of change.add) {
            await trx
              .insertInto("chat_members")
              .values({
                chat_id: chatId,
                user_id: userId,
                joined_at: now,
                role: "member",
                visible_from_seq: from,
                read_seq: from,
              })
              .onConflict((oc) =>
                oc.columns(["chat_id", "user_id"]).doUpdateSet({
                  joined_at: now,
                  role: "member",
                  visible_from_seq: from,
                  read_seq: from,
                  left_at: null,
                  removed_at: null,
                }),
              )
              .execute();
          }
        }
        return { state, change, entries, restoredFor: restored.map((r) => r.user_id) };
      });
    },
  };
}

export type GroupsRepository = ReturnType<typeof createGroupsRepository>;
