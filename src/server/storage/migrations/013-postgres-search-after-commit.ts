import { type Kysely, SqliteAdapter, sql } from "kysely";

/*
 * PostgreSQL: new messages are indexed right after their commit instead of inside it (the GIN
 * index on the body expression cost the send path about a quarter of its throughput, PostgreSQL
 * backend CPU +70 % a message). SQLite is untouched (011).
 *  - message_search holds one row per searchable message (not a tombstone, not a system message)
 *    with its folded tsvector and created_at, under a GIN index: search reads it, chat_members and
 *    hidden_messages alone, and touches messages only for the page it shows.
 *  - search_marks.up_to is a per-chat high-water mark: every message of the chat with a seq up to
 *    it has been looked at. Seqs of one chat commit in order (each send takes the chat row's lock
 *    to number them), and in one snapshot chats.last_seq and the messages up to it are seen
 *    together, so the indexer (storage/dialects/postgres-search-indexer.ts) indexes
 *    (up_to, last_seq] and moves the mark to last_seq in one statement. A global mark on ids would
 *    not be safe: concurrent transactions commit out of order.
 *  - The indexer, edits and deletions meet on the chat's mark row: the indexer holds it FOR
 *    UPDATE before it takes its snapshot, the triggers below FOR SHARE before they touch
 *    message_search. Whichever comes second sees what the first committed, so an edit never
 *    leaves its old text behind and a deleted message never comes back. Nothing waits the other
 *    way round (the indexer locks no message), so they cannot deadlock.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (isSqlite(db)) return;
  await sql`drop index messages_search`.execute(db);
  await sql`create table search_marks (
    chat_id text primary key references chats (id) on delete cascade,
    up_to integer not null)`.execute(db);
  // No foreign key to messages: its check would lock the message and could deadlock with a
  // deletion; the delete trigger keeps the rows exact instead (it also runs for cascades).
  await sql`create table message_search (
    chat_id text not null,
    seq integer not null,
    created_at bigint not null,
    vector tsvector not null,
    primary key (chat_id, seq))`.execute(db);
  // 007's glasschat_search_vector, word for word, at a third of its cost: the ASCII punctuation
  // goes by one regular expression instead of translate() (which searches its 32-character list
  // for every character of the body), and without STRICT (its CASE is not strict) the planner
  // inlines it instead of calling a SQL function per message.
  await sql`create function glasschat_search_words(body text) returns tsvector
    language sql immutable parallel safe as $fold$
      select to_tsvector('simple'::regconfig, regexp_replace(
        case when octet_length(body) = length(body) then lower(body)
          else normalize(regexp_replace(normalize(lower(body), NFD), '[\u0300-\u036f]', '', 'g'), NFC) end,
        '[!-/:-@[-\`{-~]', ' ', 'g'))
    $fold$`.execute(db);
  // The marks first, then the messages up to them (a later snapshot sees at least those).
  await sql`insert into search_marks (chat_id, up_to) select id, last_seq from chats`.execute(db);
  await sql`insert into message_search (chat_id, seq, created_at, vector)
    select m.chat_id, m.seq, m.created_at, glasschat_search_words(m.body)
    from messages m join search_marks k on k.chat_id = m.chat_id and m.seq <= k.up_to
    where m.system is null and m.deleted_at is null`.execute(db);
  await sql`create index message_search_vector on message_search using gin (vector)`.execute(db);

  // Locks the chat's mark (made at 0 if the chat has none yet: then nothing of it is indexed).
  await sql`create function glasschat_search_mark(chat text) returns integer
    language plpgsql as $$
    declare mark integer;
    begin
      insert into search_marks (chat_id, up_to) values (chat, 0) on conflict do nothing;
      select up_to into mark from search_marks where chat_id = chat for share;
      return coalesce(mark, 0);
    end $$`.execute(db);
  await sql`create function glasschat_search_edited() returns trigger
    language plpgsql as $$
    begin
      if new.seq <= glasschat_search_mark(new.chat_id) then
        delete from message_search where chat_id = old.chat_id and seq = old.seq;
        if new.system is null and new.deleted_at is null then
          insert into message_search (chat_id, seq, created_at, vector)
          values (new.chat_id, new.seq, new.created_at, glasschat_search_words(new.body));
        end if;
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger messages_search_edited after update of body, deleted_at, system on messages
    for each row when (old.body is distinct from new.body or old.deleted_at is distinct from new.deleted_at
      or old.system is distinct from new.system)
    execute function glasschat_search_edited()`.execute(db);
  await sql`create function glasschat_search_deleted() returns trigger
    language plpgsql as $$
    begin
      perform 1 from search_marks where chat_id in (select distinct chat_id from gone)
        order by chat_id for share;
      delete from message_search s using gone g where s.chat_id = g.chat_id and s.seq = g.seq;
      return null;
    end $$`.execute(db);
  await sql`create trigger messages_search_deleted after delete on messages
    referencing old table as gone for each statement
    execute function glasschat_search_deleted()`.execute(db);

  /*
   * Indexes the given chats: locks their marks in id order (made at 0 for a chat that has none),
   * then, in one statement and so one snapshot, indexes each chat's messages above its mark, at
   * most `chunk` of them a chat, and moves the mark over them. Returns how many chats have more.
   */
  await sql`create function glasschat_search_index(chats text[], chunk integer) returns integer
    language plpgsql as $$
    declare more integer;
    begin
      insert into search_marks (chat_id, up_to)
        select c.id, 0 from chats c where c.id = any(chats) order by c.id on conflict do nothing;
      perform 1 from search_marks where chat_id = any(chats) order by chat_id for update;
      with todo as (
        select k.chat_id, k.up_to, least(c.last_seq, k.up_to + chunk) as to_seq, c.last_seq
        from search_marks k join chats c on c.id = k.chat_id
        where k.chat_id = any(chats) and c.last_seq > k.up_to
      ), indexed as (
        insert into message_search (chat_id, seq, created_at, vector)
        select m.chat_id, m.seq, m.created_at, glasschat_search_words(m.body)
        from todo t join messages m on m.chat_id = t.chat_id and m.seq > t.up_to and m.seq <= t.to_seq
        where m.system is null and m.deleted_at is null
        on conflict do nothing
      ), moved as (
        update search_marks k set up_to = t.to_seq from todo t where k.chat_id = t.chat_id
      )
      select count(*) into more from todo where to_seq < last_seq;
      return more;
    end $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (isSqlite(db)) return;
  await sql`drop trigger messages_search_deleted on messages`.execute(db);
  await sql`drop trigger messages_search_edited on messages`.execute(db);
  for (const fn of [
    "glasschat_search_index(text[], integer)",
    "glasschat_search_deleted()",
    "glasschat_search_edited()",
    "glasschat_search_mark(text)",
    "glasschat_search_words(text)",
  ])
    await sql.raw(`drop function ${fn}`).execute(db);
  await sql`drop table message_search`.execute(db);
  await sql`drop table search_marks`.execute(db);
  await sql`create index messages_search on messages using gin (glasschat_search_vector(body))
    where system is null and deleted_at is null`.execute(db);
}

function isSqlite(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}
