import type pg from "pg";
import type { MessageWriter, NewMessage, StoreResult } from "../messages.repository.js";

interface Row {
  ord: number;
  dup_seq: number | null;
  dup_body: string | null;
  dup_created_at: number | null;
  new_seq: number | null;
  new_rev: number | null;
  bad_reply: boolean;
  restored: string[] | null;
  hidden_for: string[] | null;
}

/*
 * One statement stores a whole batch (one round trip, one commit): find retries already stored,
 * check that each reply's target is visible to its sender, number the fresh messages per chat
 * after each chat's seq and rev counters, bump the counters, insert, and
 * bring chats back for members who had removed them (not for a blocker a message is withheld
 * from: `withheld` stores it hidden for them, see domain/reach.service.ts). The counter update
 * takes each chat row's lock, so writers on any node commit a chat's seq numbers in order.
 * Deliberately unnamed: a named statement gets a cached generic plan that guesses ~10 input rows
 * and scans whole tables; an unnamed one is planned for its actual arrays and uses the indexes.
 */
const STORE_BATCH = `
  with input as (
    select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::int[])
      with ordinality as t(chat_id, sender_id, client_id, body, created_at, reply_to_seq, ord)
  ), existing as (
    select i.ord, m.seq, m.body, m.created_at from input i
    join messages m on m.chat_id = i.chat_id and m.sender_id = i.sender_id and m.client_id = i.client_id
  ), fresh as (
    select i.*, row_number() over (partition by i.chat_id order by i.ord) as n from input i
    where not exists (select 1 from existing e where e.ord = i.ord)
      and (i.reply_to_seq is null or exists (
        select 1 from messages r join chat_members cm on cm.chat_id = r.chat_id and cm.user_id = i.sender_id
        where r.chat_id = i.chat_id and r.seq = i.reply_to_seq and r.seq > cm.cleared_seq
          and r.seq >= cm.visible_from_seq
          and not exists (select 1 from hidden_messages h
            where h.chat_id = r.chat_id and h.user_id = i.sender_id and h.seq = r.seq)))
  ), counts as (
    select chat_id, count(*) as c, max(created_at) as last_at, min(ord) as first_ord from fresh group by chat_id
  ), bumped as (
    update chats set last_seq = chats.last_seq + counts.c, last_rev = chats.last_rev + counts.c,
      last_activity_at = counts.last_at
    from counts where chats.id = counts.chat_id
    returning chats.id, chats.kind, chats.last_seq - counts.c as base, chats.last_rev - counts.c as rev_base, counts.first_ord
  ), inserted as (
    insert into messages (chat_id, seq, rev, created_rev, sender_id, client_id, body, created_at, reply_to_seq)
    select f.chat_id, b.base + f.n, b.rev_base + f.n, b.rev_base + f.n, f.sender_id, f.client_id, f.body, f.created_at, f.reply_to_seq
    from fresh f join bumped b on b.id = f.chat_id
    returning chat_id
  ), withheld as (
    insert into hidden_messages (chat_id, user_id, seq, pos)
    select f.chat_id, bl.blocker_id, b.base + f.n, -(b.base + f.n)
    from fresh f join bumped b on b.id = f.chat_id and b.kind = 'direct'
    join blocks bl on bl.blocked_id = f.sender_id
    join chat_members cm on cm.chat_id = f.chat_id and cm.user_id = bl.blocker_id
    returning chat_id, seq, user_id
  ), restored as (
    update chat_members set removed_at = null
    where chat_id in (select id from bumped) and removed_at is not null and left_at is null
      and not exists (select 1 from withheld w where w.chat_id = chat_members.chat_id and w.user_id = chat_members.user_id)
    returning chat_id, user_id
  )
  select i.ord::int as ord, e.seq as dup_seq, e.body as dup_body, e.created_at as dup_created_at,
    (b.base + f.n)::int as new_seq, (b.rev_base + f.n)::int as new_rev,
    (e.ord is null and f.ord is null and i.reply_to_seq is not null) as bad_reply,
    case when b.first_ord = i.ord then array(select r.user_id from restored r where r.chat_id = i.chat_id) end as restored,
    array(select w.user_id from withheld w where w.chat_id = i.chat_id and w.seq = b.base + f.n) as hidden_for
  from input i
  left join existing e on e.ord = i.ord
  left join fresh f on f.ord = i.ord
  left join bumped b on b.id = f.chat_id
  order by i.ord`;

export function createPostgresMessageWriter(pool: pg.Pool): MessageWriter {
  return {
    async storeBatch(batch: NewMessage[]): Promise<StoreResult[]> {
      // A retry inside the same batch is answered by its first copy.
      const firstIndex = new Map<string, number>();
      const unique: NewMessage[] = [];
      const slot = batch.map((m) => {
        const key = JSON.stringify([m.chatId, m.senderId, m.clientId]);
        const known = firstIndex.get(key);
        if (known !== undefined) return { index: known, repeat: true };
        firstIndex.set(key, unique.length);
        unique.push(m);
        return { index: unique.length - 1, repeat: false };
      });

      const statement = {
        text: STORE_BATCH,
        values: [
          unique.map((m) => m.chatId),
          unique.map((m) => m.senderId),
          unique.map((m) => m.clientId),
          unique.map((m) => m.body),
          unique.map((m) => m.createdAt),
          unique.map((m) => m.replyToSeq),
        ],
      };
      const chatIds = [...new Set(unique.map((m) => m.chatId))].sort();
      const { rows } =
        chatIds.length === 1
          ? await pool.query<Row>(statement)
          : await lockedInOrder(pool, chatIds, statement);
      const stored = rows.map(toResult);
      return slot.map(({ index, repeat }) => {
        const result = stored[index] ?? { kind: "missing_chat" };
        const original = unique[index];
        if (!repeat || result.kind !== "stored" || !original) return result;
        return { kind: "duplicate", seq: result.seq, body: original.body, createdAt: original.createdAt };
      });
    },
    close: () => pool.end(),
  };
}

/**
 * Several chats in one batch: lock their rows in id order first. Left to itself the update locks
 * them in whatever order its join produces, and two processes writing to the same chats could
 * deadlock (PostgreSQL would break it, after a one-second stall).
 */
async function lockedInOrder(pool: pg.Pool, chatIds: string[], statement: pg.QueryConfig) {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("begin");
    await client.query("select 1 from chats where id = any($1::text[]) order by id for update", [chatIds]);
    const result = await client.query<Row>(statement);
    await client.query("commit");
    return result;
  } catch (error) {
    await client.query("rollback").catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

function toResult(row: Row): StoreResult {
  if (row.dup_seq !== null) {
    return {
      kind: "duplicate",
      seq: row.dup_seq,
      body: row.dup_body ?? "",
      createdAt: row.dup_created_at ?? 0,
    };
  }
  if (row.new_seq !== null)
    return {
      kind: "stored",
      seq: row.new_seq,
      rev: row.new_rev ?? 0,
      restoredFor: row.restored ?? [],
      hiddenFor: row.hidden_for ?? [],
    };
  return row.bad_reply ? { kind: "invalid_reply" } : { kind: "missing_chat" };
}
