/** Dialect-neutral reading of driver errors. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

/** Which column a unique violation was about, where the driver says so. */
export function violatedColumn(error: unknown): string | undefined {
  const e = error as { constraint?: string; message?: string };
  const text = `${e.constraint ?? ""} ${e.message ?? ""}`;
  const match = /(?:users[._])(email|username)/.exec(text);
  return match?.[1];
}

/**
 * True for a failure that one message of a batch can cause by itself (a constraint, a trigger, a
 * value the database refuses), so that retrying the others alone can succeed. Unreachable or busy
 * databases, timeouts and full disks fail every message alike: those are not retried one by one.
 * PostgreSQL: SQLSTATE classes 22 (data exception), 23 (integrity constraint) and P0 (raised by a
 * trigger or function).
 */
export function isPerMessageFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return false;
  if (code.startsWith("SQLITE_")) return /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG)/.test(code);
  return /^(22|23|P0)...$/.test(code);
}
