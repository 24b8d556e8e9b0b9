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
