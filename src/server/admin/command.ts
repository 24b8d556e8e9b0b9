import type { Config } from "../config.js";

/** What every admin command gets: its arguments, the configuration, and where to print. */
export interface CommandContext {
  args: string[];
  config: Config;
  out(line: string): void;
}

/** Resolves with the process exit code. */
export type Command = (context: CommandContext) => Promise<number>;

/** A mistake in how the command was called: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
