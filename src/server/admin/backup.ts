import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { backupSqlite } from "../storage/dialects/sqlite-backup.js";
import { type Command, UsageError } from "./command.js";
import { dataFolderEntries } from "./data-folder.js";
import { passwordNote, postgresFlags } from "./postgres-hint.js";
import { type TarSource, writeTarGz } from "./tar.js";

export const MANIFEST = "glasschat-backup.json";
export const DATABASE_ENTRY = "database.db";

export interface Manifest {
  format: "glasschat-backup";
  version: 1;
  createdAt: string;
  dialect: "sqlite" | "postgres";
  /** The SQLite copy inside the archive, or null (PostgreSQL is backed up with pg_dump). */
  database: string | null;
  /** Data-folder files, relative to DATA_DIR, stored under `data/`. */
  data: string[];
}

/**
 * `backup FILE`: one .tar.gz with a consistent copy of the SQLite database (online backup, the
 * server may keep running and writing) and the data folder's secrets and files.
 */
export const backup: Command = async ({ args, config, out }) => {
  const file = args.find((arg) => !arg.startsWith("--"));
  if (!file) throw new UsageError("backup needs a file name, e.g. backup glasschat-backup.tar.gz");
  const archive = resolve(file);
  const staging = mkdtempSync(join(dirname(archive), ".backup-"));
  try {
    const entries: TarSource[] = [];
    if (config.database.dialect === "sqlite") {
      if (!existsSync(config.database.path)) {
        throw new Error(
          `there is no database at ${config.database.path} yet (the server creates it at its first start)`,
        );
      }
      out(`Copying the SQLite database ${config.database.path} (online backup)…`);
      const copy = join(staging, DATABASE_ENTRY);
      await backupSqlite(config.database.path, copy);
      entries.push({ name: DATABASE_ENTRY, file: copy });
    }
    const data = dataFolderEntries(config, [archive, staging]);
    const manifest: Manifest = {
      format: "glasschat-backup",
      version: 1,
      createdAt: new Date().toISOString(),
      dialect: config.database.dialect,
      database: config.database.dialect === "sqlite" ? DATABASE_ENTRY : null,
      data,
    };
    entries.unshift({ name: MANIFEST, data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) });
    for (const name of data) entries.push({ name: `data/${name}`, file: join(config.dataDir, name) });
    await writeTarGz(archive, entries);
    out(`Backed up to ${archive}:`);
    if (config.database.dialect === "sqlite")
      out(`  the SQLite database ${config.database.path} (online backup)`);
    out(`  from ${config.dataDir}: ${data.length === 0 ? "nothing" : data.join(", ")}`);
    if (config.database.dialect === "postgres") {
      const { flags, hasPassword, env } = postgresFlags(config.database.url);
      const dump = `${basename(archive).replace(/\.(tar\.gz|tgz)$/, "")}.dump`;
      out("The PostgreSQL database is not in this archive: back it up with pg_dump, e.g.");
      out(`  ${env}pg_dump --format=custom --file=${dump} ${flags}`);
      const note = passwordNote(hasPassword);
      if (note) out(note);
    }
    return 0;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
};
