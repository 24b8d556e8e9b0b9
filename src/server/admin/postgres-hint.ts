/** Shell-quotes a value for the printed commands. */
function quote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

/** The connection flags of a postgres:// URL for pg_dump/pg_restore; never the password. */
export function postgresFlags(url: string): { flags: string; hasPassword: boolean; env: string } {
  const parsed = new URL(url);
  const flags = [
    `--host=${quote(decodeURIComponent(parsed.hostname) || "localhost")}`,
    `--port=${parsed.port || "5432"}`,
    ...(parsed.username ? [`--username=${quote(decodeURIComponent(parsed.username))}`] : []),
    `--dbname=${quote(decodeURIComponent(parsed.pathname.slice(1)) || "postgres")}`,
  ].join(" ");
  const sslmode = parsed.searchParams.get("sslmode");
  return { flags, hasPassword: parsed.password !== "", env: sslmode ? `PGSSLMODE=${quote(sslmode)} ` : "" };
}

export function passwordNote(hasPassword: boolean): string {
  return hasPassword
    ? "  (DATABASE_URL's password is not shown: pg_dump asks for it, or set PGPASSWORD or ~/.pgpass)"
    : "";
}
