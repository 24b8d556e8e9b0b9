import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export type Dialect = "sqlite" | "postgres";

const postgresUrl = process.env.TEST_DATABASE_URL;
if (process.env.CI === "true" && !postgresUrl) {
  throw new Error("CI=true but TEST_DATABASE_URL is not set: the PostgreSQL tests must run in CI.");
}
if (!postgresUrl) {
  console.warn(
    "TEST_DATABASE_URL is not set: PostgreSQL tests are skipped (set it, e.g. postgres://127.0.0.1:5432/test).",
  );
}

/** Every storage and end-to-end suite loops over these: SQLite always, PostgreSQL when configured. */
export const DIALECTS: Dialect[] = postgresUrl ? ["sqlite", "postgres"] : ["sqlite"];

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database of its own: a temp SQLite file, or a new PostgreSQL database. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "glasschat-test-"));
    return {
      url: `sqlite:${join(dir, "test.db")}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (!postgresUrl) throw new Error("TEST_DATABASE_URL is not set");
  const name = `glasschat_test_${randomBytes(6).toString("hex")}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const redisUrlFromEnv = process.env.TEST_REDIS_URL;
if (process.env.CI === "true" && !redisUrlFromEnv) {
  throw new Error("CI=true but TEST_REDIS_URL is not set: the scale-out tests must run in CI.");
}

/** Redis for the scale-out suites (TEST_REDIS_URL), or undefined where there is none. */
export const TEST_REDIS_URL = redisUrlFromEnv;

/** Scale-out suites need both Redis and PostgreSQL; they say so once when skipped. */
export const SCALE_OUT_READY = Boolean(redisUrlFromEnv) && DIALECTS.includes("postgres");
