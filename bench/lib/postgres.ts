import pg from "pg";

/** Adds the `postgres` user when the URL names none and the environment gives no default. */
export function withDefaultUser(url: string): string {
  const parsed = new URL(url);
  if (!parsed.username && !process.env.PGUSER && !process.env.USER) parsed.username = "postgres";
  return parsed.toString();
}

/** Creates a fresh database next to the one in `adminUrl`, hands its URL to `fn`, then drops it. */
export async function withFreshDatabase<T>(adminUrl: string, fn: (url: string) => Promise<T>): Promise<T> {
  const name = `glasschat_bench_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    try {
      return await fn(url.toString());
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}

/** Rows read by sequential scans, per table: a send path that scans grows slower as history grows. */
export async function seqScanRows(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // The statistics collector reports with a small delay.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const { rows } = await client.query<{ relname: string; seq_tup_read: string }>(
      "select relname, seq_tup_read from pg_stat_user_tables where seq_tup_read > 0 order by seq_tup_read desc",
    );
    return Object.fromEntries(rows.map((r) => [r.relname, Number(r.seq_tup_read)]));
  } finally {
    await client.end();
  }
}
