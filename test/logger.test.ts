import { describe, expect, it } from "vitest";
import { createLogger, type LogOutput } from "../src/server/logger.js";

function output(isTTY: boolean): LogOutput & { lines: string[] } {
  const lines: string[] = [];
  return { isTTY, lines, write: (line: string) => lines.push(line) };
}

describe("server logs", () => {
  it("are readable lines on a terminal", () => {
    const terminal = output(true);
    const logger = createLogger("info", terminal);
    logger.info({ database: "sqlite", redis: false }, "Glasschat is listening");
    logger.error({ err: new Error("disk full") }, "storing messages failed");
    logger.debug("below the level");

    expect(terminal.lines).toHaveLength(2);
    expect(terminal.lines[0]).toMatch(
      /^\d\d:\d\d:\d\d INFO {2}Glasschat is listening database=sqlite redis=false\n$/,
    );
    expect(terminal.lines[1]).toMatch(
      /^\d\d:\d\d:\d\d ERROR storing messages failed\n {4}Error: disk full\n/,
    );
    for (const line of terminal.lines) expect(() => JSON.parse(line)).toThrow();
  });

  it("stay one JSON object a line when stdout is not a terminal", () => {
    const pipe = output(false);
    createLogger("info", pipe).child({ worker: 2 }).warn({ signal: "SIGTERM" }, "shutting down");

    expect(pipe.lines).toHaveLength(1);
    expect(JSON.parse(pipe.lines[0] ?? "")).toMatchObject({
      level: 40,
      worker: 2,
      signal: "SIGTERM",
      msg: "shutting down",
    });
  });
});
