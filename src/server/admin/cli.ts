import { type Config, ConfigError, loadConfig } from "../config.js";
import { disable, invite, outbox } from "./accounts.js";
import { backup } from "./backup.js";
import { type Command, UsageError } from "./command.js";
import { doctor } from "./doctor/index.js";
import { restore } from "./restore.js";
import { users } from "./users.js";

/** Commands that need a valid configuration; doctor checks the configuration itself. */
const COMMANDS: Record<string, Command> = { users, invite, disable, outbox, backup, restore };

const USAGE = `Usage: npm run admin -- <command>   (reads the same environment as the server)
  users [--json]            list the accounts (id, email, username, created)
  invite EMAIL              print a sign-up link for EMAIL (7 days, single use; works with REGISTRATION=invite)
  disable EMAIL             no more sign-in or mail for that account; ends its sessions
  outbox [--json]           the mail written to DATA_DIR/outbox while SMTP_URL is unset
  backup FILE               database + data folder into FILE (.tar.gz); the server may keep running
  restore FILE [--force]    put a backup into a stopped server's data folder
  doctor                    check configuration, database, Redis, SMTP, disk, write access, proxy`;

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (name === "doctor") return doctor({ out });
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    const help = name === undefined || name === "help" || name === "--help";
    process.stderr.write(`${help ? "" : `Unknown command: ${name}\n`}${USAGE}\n`);
    return help ? 0 : 2;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  try {
    return await command({ args, config, out });
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
