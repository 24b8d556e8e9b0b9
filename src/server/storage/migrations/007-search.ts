import { type Kysely, SqliteAdapter, sql } from "kysely";

/*
 * Message search and date jumps. Migrations take an untyped handle and import no app code.
 *
 * SQLite: a contentless FTS5 table keyed by minus the messages' rowid, so that FTS5's fast
 * ascending walk is newest first (descending walks of prefix queries are slow); unicode61 with diacritics removed,
 * prefix indexes for 2 and 3 letters), kept in step by triggers: the send path's insert indexes
 * the message in its own transaction, an edit re-indexes the new text only, a tombstone, a system
 * message or a deleted row (clear for everyone) is not in the index.
 *
 * PostgreSQL: a GIN index on an expression, `glasschat_search_vector(body)` ('simple' parser over
 * the body folded by one immutable function of built-ins: lower case, accents off, ASCII
 * punctuation to spaces, so its words are SQLite's words). No extension is needed (unaccent may
 * not be installable), no trigger: the index follows every insert, edit and delete by itself.
 *
 * `around=<date>` needs no index of its own: messages_insights (002) starts with (chat_id, created_at).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (isSqlite(db)) await upSqlite(db);
  else await upPostgres(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (isSqlite(db)) {
    for (const name of ["messages_search_insert", "messages_search_update", "messages_search_delete"]) {
      await sql`drop trigger ${sql.id(name)}`.execute(db);
    }
    await sql`drop table message_search`.execute(db);
  } else {
    await sql`drop index messages_search`.execute(db);
    await sql`drop function glasschat_search_vector(text)`.execute(db);
  }
}

function isSqlite(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/** Only messages people wrote and did not delete are searched. */
const INDEXED = (row: string) => `${row}.system is null and ${row}.deleted_at is null`;

async function upSqlite(db: Kysely<unknown>): Promise<void> {
  await sql`create virtual table message_search using fts5(
    body, content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')`.execute(db);
  await sql
    .raw(`create trigger messages_search_insert after insert on messages when ${INDEXED("new")}
      begin insert into message_search (rowid, body) values (-new.rowid, new.body); end`)
    .execute(db);
  await sql
    .raw(`create trigger messages_search_update after update of body, deleted_at, system on messages
      when old.body is not new.body or old.deleted_at is not new.deleted_at or old.system is not new.system
      begin
        delete from message_search where rowid = -old.rowid;
        insert into message_search (rowid, body) select -new.rowid, new.body where ${INDEXED("new")};
      end`)
    .execute(db);
  await sql
    .raw(`create trigger messages_search_delete after delete on messages when ${INDEXED("old")}
      begin delete from message_search where rowid = -old.rowid; end`)
    .execute(db);
  await sql
    .raw(`insert into message_search (rowid, body) select -rowid, body from messages m where ${INDEXED("m")}`)
    .execute(db);
}

async function upPostgres(db: Kysely<unknown>): Promise<void> {
  const ascii = asciiPunctuation();
  const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
  // Lower case; accents off (NFD, combining diacritics U+0300–U+036F dropped, NFC again), only
  // for text that has non-ASCII characters at all (octet length > length); ASCII punctuation to
  // spaces, so e-mail addresses, URLs, paths and hyphenated words are words as in SQLite (the
  // 'simple' parser already splits at other punctuation). All immutable built-ins.
  await sql
    .raw(`create function glasschat_search_vector(body text) returns tsvector
      language sql immutable strict parallel safe as $fold$
        select to_tsvector('simple'::regconfig, translate(
          case when octet_length(body) = length(body) then lower(body)
            else normalize(regexp_replace(normalize(lower(body), NFD), '[\\u0300-\\u036f]', '', 'g'), NFC) end,
          ${quote(ascii)}, ${quote(" ".repeat(ascii.length))}))
      $fold$`)
    .execute(db);
  await sql`create index messages_search on messages using gin (glasschat_search_vector(body))
    where system is null and deleted_at is null`.execute(db);
}

/** ASCII characters that are neither letters nor digits. */
function asciiPunctuation(): string {
  let out = "";
  for (let c = 0x21; c < 0x7f; c++) {
    const ch = String.fromCharCode(c);
    if (!/[\p{L}\p{N}]/u.test(ch)) out += ch;
  }
  return out;
}
