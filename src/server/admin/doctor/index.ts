import { type Config, ConfigError, describeDatabase, loadConfig } from "../../config.js";
import type { CheckResult } from "./check.js";
import { failed, ok } from "./check.js";
import { collectChecks } from "./collect.js";

const LABEL = { ok: "ok     ", warning: "warning", failed: "failed " } as const;

/**
 * `doctor`: every check of the configured installation, printed as ok / warning / failed with
 * what to do; exit code 1 when any check failed.
 */
export async function doctor(options: { out(line: string): void; env?: NodeJS.ProcessEnv }): Promise<number> {
  const results: CheckResult[] = [];
  const print = (result: CheckResult) => {
    results.push(result);
    options.out(`${LABEL[result.status]}  ${result.name.padEnd(10)} ${result.detail}`);
    if (result.fix) options.out(`${" ".repeat(20)}→ ${result.fix}`);
  };

  let config: Config;
  try {
    config = loadConfig(options.env);
    print(
      ok(
        "config",
        `valid; database ${config.database.dialect} (${describeDatabase(config.database)}), DATA_DIR ${config.dataDir}`,
      ),
    );
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    print(
      failed(
        "config",
        error.message.replaceAll("\n", " "),
        "Fix the variables named above; the server will not start until then.",
      ),
    );
    return 1;
  }

  for (const result of await collectChecks(config, undefined, options.env)) print(result);

  const failures = results.filter((r) => r.status === "failed").length;
  const warnings = results.filter((r) => r.status === "warning").length;
  options.out(
    failures > 0
      ? `${failures} failed, ${warnings} warning${warnings === 1 ? "" : "s"}.`
      : `All good${warnings ? ` (${warnings} warning${warnings === 1 ? "" : "s"})` : ""}.`,
  );
  return failures > 0 ? 1 : 0;
}
