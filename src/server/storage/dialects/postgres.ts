import { PostgresDialect } from "kysely";
import pg from "pg";

const INT8_OID = 20;

/** int8 (bigint) columns hold epoch milliseconds: parse them to numbers, as SQLite returns them. */
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export function createPostgresPool(url: string, options: { max: number; settings?: string }): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max,
    connectionTimeoutMillis: 5000,
    // Durability is part of the protocol: never let a server default weaken it.
    options: `-c synchronous_commit=on ${options.settings ?? ""}`.trim(),
    types,
  });
  // An idle client that loses its connection must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  return pool;
}

export function createPostgresDialect(url: string): PostgresDialect {
  return new PostgresDialect({ pool: createPostgresPool(url, { max: 10 }) });
}
