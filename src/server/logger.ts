import { type DestinationStream, type Logger, pino } from "pino";

/** Where log lines go: process.stdout, or any stream with the same two members (tests). */
export interface LogOutput extends DestinationStream {
  isTTY?: boolean;
}

const LEVEL_NAMES: Record<number, string> = {
  10: "TRACE",
  20: "DEBUG",
  30: "INFO",
  40: "WARN",
  50: "ERROR",
  60: "FATAL",
};
const SHOWN_APART = new Set(["level", "time", "pid", "hostname", "msg", "err"]);

const fieldValue = (value: unknown) =>
  typeof value === "string" && !/\s/.test(value) ? value : JSON.stringify(value);

/** One pino JSON line for a person: `12:34:56 INFO  Glasschat is listening database=sqlite`. */
export function prettyLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith("\n") ? json : `${json}\n`;
  }
  const time = new Date(typeof record.time === "number" ? record.time : Date.now())
    .toTimeString()
    .slice(0, 8);
  const level = (LEVEL_NAMES[record.level as number] ?? String(record.level)).padEnd(5);
  const fields = Object.entries(record)
    .filter(([key]) => !SHOWN_APART.has(key))
    .map(([key, value]) => ` ${key}=${fieldValue(value)}`)
    .join("");
  const err = record.err as { stack?: string; message?: string } | undefined;
  const error = err ? `\n    ${(err.stack ?? err.message ?? "").replaceAll("\n", "\n    ")}` : "";
  return `${time} ${level} ${String(record.msg ?? "")}${fields}${error}\n`;
}

/**
 * The server's logger: readable lines on a terminal, one JSON object a line otherwise (tests,
 * log collectors and deploys parse those).
 */
export function createLogger(level: string, output: LogOutput = process.stdout): Logger {
  if (output.isTTY) return pino({ level }, { write: (line: string) => output.write(prettyLine(line)) });
  return output === process.stdout ? pino({ level }) : pino({ level }, output);
}
