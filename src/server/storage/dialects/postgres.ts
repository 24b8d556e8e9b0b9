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

/** A connection that cannot be made within this fails (the pool would otherwise wait forever). */
const CONNECT_TIMEOUT_MS = 5000;

export interface PoolOptions {
  max: number;
  settings?: string;
  /** Server-side bound on one statement; the client gives up a little later (a cut network). */
  statementTimeoutMs: number;
  /** Bound on waiting for a row or table lock. */
  lockTimeoutMs: number;
}

export function createPostgresPool(url: string, options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: options.statementTimeoutMs + 2000,
    keepAlive: true,
    // Durability is part of the protocol: never let a server default weaken it.
    options: [
      "-c synchronous_commit=on",
      // Every query here is short and by key; JIT compiles for up to a second when the planner's
      // estimate of a correlated subquery (the chat list's counts) runs high, and never pays back.
      "-c jit=off",
      `-c statement_timeout=${options.statementTimeoutMs}`,
      `-c lock_timeout=${options.lockTimeoutMs}`,
      options.settings ?? "",
    ]
      .join(" ")
      .trim(),
    types,
  });
  // A client that loses its connection must not crash the process, idle (the pool's "error") or
  // checked out (pg emits "error" on the client too, after failing its queries); the next query
  // reconnects.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  return pool;
}

export function createPostgresDialect(url: string): PostgresDialect {
  // Generous: migrations run on this pool too.
  return new PostgresDialect({
    pool: createPostgresPool(url, { max: 10, statementTimeoutMs: 60_000, lockTimeoutMs: 10_000 }),
  });
}
