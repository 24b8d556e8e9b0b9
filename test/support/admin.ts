import { spawn } from "node:child_process";

export interface AdminRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run admin -- <args>` from sources (as the built CLI would run), with only `env` set. */
export function runAdmin(
  env: Record<string, string>,
  args: string[],
  onStdout: (text: string) => void = () => {},
): Promise<AdminRun> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !/^(DATABASE_URL|REDIS_URL|SESSION_SECRET|PUBLIC_URL|SMTP_URL|RATE_LIMIT_|PORT$|HOST$|DATA_DIR$)/.test(
          key,
        ),
    ),
  );
  const child = spawn(process.execPath, ["--import", "tsx", "src/server/admin/cli.ts", ...args], {
    env: { ...inherited, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
    onStdout(stdout);
  });
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  return new Promise((resolve) =>
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}
