export type CheckStatus = "ok" | "warning" | "failed";

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  /** What to do about a warning or a failure. */
  fix?: string;
}

export const ok = (name: string, detail: string): CheckResult => ({ name, status: "ok", detail });
export const warning = (name: string, detail: string, fix?: string): CheckResult => ({
  name,
  status: "warning",
  detail,
  ...(fix ? { fix } : {}),
});
export const failed = (name: string, detail: string, fix?: string): CheckResult => ({
  name,
  status: "failed",
  detail,
  ...(fix ? { fix } : {}),
});

/** Rejects when `promise` takes longer than `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
