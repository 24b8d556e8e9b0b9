import type { Logger } from "pino";
import { type Config, ConfigError, describeDatabase } from "./config.js";
import { type DatabaseHandle, openDatabase } from "./storage/database.js";

/** The configured database, migrated; one that cannot be opened is a configuration error. */
export function openConfiguredDatabase(config: Config, logger: Logger): Promise<DatabaseHandle> {
  return openDatabase(config.database, {
    sqliteSynchronous: config.sqliteSynchronous,
    sqliteWriter: config.sqliteWriter,
    searchIndex: config.searchIndex,
    searchSweepMs: config.searchSweepS * 1000,
    onIndexError: (error) => logger.warn({ err: error }, "indexing messages for search failed"),
  }).catch((error: Error) => {
    throw new ConfigError(
      `Cannot open the database (${describeDatabase(config.database)}): ${error.message}`,
    );
  });
}
