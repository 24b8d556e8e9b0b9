import { ConfigError, loadConfig } from "../config.js";
import { backup } from "./backup.js";
import { type Command, UsageError } from "./command.js";
import { doctor } from "./doctor.js";
import { restore } from "./restore.js";
import { users } from "./users.js";

const COMMANDS: Record<string, { run: Command; usage: string }> = {
  users: { run: users, usage: "users [--json]            list the accounts (id, email, username, created)" },
  backup: {
    run: backup,
    usage: "backup FILE               database + data folder into FILE (.tar.gz), server may run",
  },
  restore: {
    run: restore,
    usage: "restore FILE [--force]    put a backup into a stopped server's data folder",
  },
  doctor: {
    run: doctor,
    usage: "doctor                    check configuration, database, Redis, SMTP, disk, proxy",
  },
};

const USAGE = [
  "Usage: npm run admin -- <command>   (reads the same environment as the server)",
  ...Object.values(COMMANDS).map((c) => `  ${c.usage}`),
].join("\n");

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(
      `${name && name !== "help" && name !== "--help" ? `Unknown command: ${name}\n` : ""}${USAGE}\n`,
    );
    return name === "help" || name === "--help" ? 0 : 2;
  }
  const out = (line: string) => process.stdout.write(`${line}\n`);
  // doctor reports a broken configuration as one of its checks instead of stopping here.
  if (name === "doctor") return command.run({ args, config: undefined as never, out });
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  try {
    return await command.run({ args, config, out });
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`${name} failed: ${(error as Error).message}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
