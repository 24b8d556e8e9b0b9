import type { Config } from "../../config.js";
import type { CheckResult } from "./check.js";
import {
  checkDatabase,
  checkDisk,
  checkOpenDatabase,
  checkPublicUrl,
  checkRedis,
  checkSmtp,
  checkVapid,
  checkWritable,
  type DatabaseProbe,
} from "./checks.js";

/** A running server's own connections, so its checks test what it really uses. */
export interface RunningState {
  database: DatabaseProbe;
  redisPing?: () => Promise<unknown>;
}

/**
 * Every check after the configuration's, in the order `doctor` prints them. They run side by side:
 * the slow ones (SMTP handshake, upgrade through PUBLIC_URL) are each bounded by a timeout, so the
 * whole takes at most about ten seconds.
 */
export async function collectChecks(
  config: Config,
  running?: RunningState,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CheckResult[]> {
  const [database, redis, smtp, proxy] = await Promise.all([
    running ? checkOpenDatabase(config, running.database) : checkDatabase(config),
    checkRedis(config.redisUrl, running?.redisPing),
    checkSmtp(config.smtpUrl),
    checkPublicUrl(config),
  ]);
  return [
    ...database,
    ...(redis ? [redis] : []),
    smtp,
    checkVapid(config, env),
    checkDisk(config),
    checkWritable(config),
    proxy,
  ];
}
