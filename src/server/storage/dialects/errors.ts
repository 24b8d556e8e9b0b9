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
