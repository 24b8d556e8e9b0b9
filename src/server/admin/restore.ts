import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { integrityCheck } from "../storage/dialects/sqlite-backup.js";
import { DATABASE_ENTRY, MANIFEST, type Manifest } from "./backup.js";
import { type Command, UsageError } from "./command.js";
import { passwordNote, postgresFlags } from "./postgres-hint.js";
import { serverRunning } from "./server-running.js";
import { extractTarGz } from "./tar.js";

/**
 * `restore FILE [--force]`: puts a backup into the data folder of a stopped server. Refuses while
 * the server runs, and (without --force) over an existing database.
 */
export const restore: Command = async ({ args, config, out }) => {
  const file = args.find((arg) => !arg.startsWith("--"));
  if (!file) throw new UsageError("restore needs the backup file, e.g. restore glasschat-backup.tar.gz");
  const archive = resolve(file);
  if (!existsSync(archive)) throw new UsageError(`no such file: ${archive}`);
  const force = args.includes("--force");

  const running = await serverRunning(config);
  if (running) {
    out(`Refusing to restore: the server seems to be running (${running}). Stop it first.`);
    return 1;
  }

  mkdirSync(config.dataDir, { recursive: true });
  const staging = mkdtempSync(join(config.dataDir, ".restore-"));
  try {
    await extractTarGz(archive, staging);
    const manifest = readManifest(join(staging, MANIFEST));
    if (manifest.dialect === "sqlite" && config.database.dialect !== "sqlite") {
      out("Refusing to restore: the backup holds a SQLite database, but DATABASE_URL is PostgreSQL.");
      return 1;
    }
    if (manifest.dialect === "postgres" && config.database.dialect !== "postgres") {
      out(
        "Refusing to restore: the backup comes from a PostgreSQL setup; set DATABASE_URL to that database.",
      );
      return 1;
    }
    if (config.database.dialect === "sqlite" && manifest.database) {
      const target = config.database.path;
      if (existsSync(target) && statSync(target).size > 0 && !force) {
        out(`Refusing to restore: ${target} already holds a database. Add --force to replace it.`);
        return 1;
      }
      mkdirSync(dirname(target), { recursive: true });
      // A -wal or -shm left from the old database would be replayed into the restored one.
      for (const suffix of ["-wal", "-shm", "-journal"]) rmSync(`${target}${suffix}`, { force: true });
      moveFile(join(staging, DATABASE_ENTRY), target);
      const check = integrityCheck(target);
      out(`Restored the database to ${target} (integrity check: ${check}).`);
      if (check !== "ok") return 1;
    }
    if (manifest.dialect === "postgres" && config.database.dialect === "postgres") {
      const { flags, env, hasPassword } = postgresFlags(config.database.url);
      out("Restore the PostgreSQL database from its pg_dump file, e.g.");
      out(`  ${env}pg_restore --clean --if-exists ${flags} glasschat.dump`);
      const note = passwordNote(hasPassword);
      if (note) out(note);
    }
    if (manifest.data.some((name) => name.startsWith("files/"))) {
      rmSync(join(config.dataDir, "files"), { recursive: true, force: true });
    }
    for (const name of manifest.data) {
      const destination = join(config.dataDir, name);
      mkdirSync(dirname(destination), { recursive: true });
      moveFile(join(staging, "data", name), destination);
    }
    out(
      `Restored into ${config.dataDir}: ${manifest.data.length === 0 ? "nothing" : manifest.data.join(", ")}`,
    );
    out("Start the server now.");
    return 0;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
};

function readManifest(path: string): Manifest {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(path, "utf8")) as Manifest;
  } catch {
    throw new UsageError("this file is not a Glasschat backup (no manifest)");
  }
  if (manifest.format !== "glasschat-backup" || manifest.version !== 1 || !Array.isArray(manifest.data)) {
    throw new UsageError("this file is not a Glasschat backup this version can read");
  }
  return manifest;
}

/** rename, or copy where the database lives on another file system. */
function moveFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as { code?: string }).code !== "EXDEV") throw error;
    copyFileSync(from, to);
    rmSync(from, { force: true });
  }
}
