import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { OutboxEntry } from "./mailer.js";

/** The mails in the outbox folder, oldest first (each is a `.eml` plus its `.json` summary). */
export function readOutbox(outboxDir: string): OutboxEntry[] {
  if (!existsSync(outboxDir)) return [];
  return readdirSync(outboxDir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(outboxDir, name), "utf8")) as OutboxEntry);
}
