import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSqlite } from "../src/server/storage/dialects/sqlite-connection.js";

const PAGE = 4096;

describe("SQLite WAL checkpoints", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("copies the WAL back about every 4,000 pages: more commits share a copy, and the WAL stays bounded", () => {
    dir = mkdtempSync(join(tmpdir(), "glasschat-wal-"));
    const path = join(dir, "wal.db");
    const sqlite = openSqlite({ path, synchronous: "normal" });
    sqlite.exec("create table pages (body blob)");
    const insert = sqlite.prepare("insert into pages (body) values (?)");
    const commit = sqlite.transaction(() => {
      for (let i = 0; i < 200; i++) insert.run(Buffer.alloc(PAGE - 200, i));
    });
    let largest = 0;
    for (let i = 0; i < 40; i++) {
      commit();
      largest = Math.max(largest, statSync(`${path}-wal`).size);
    }
    sqlite.close();
    // 8,000 pages written in commits of about 200: SQLite's default (1,000) would stop near
    // 1,200 pages; no checkpoints at all would grow past 8,000.
    expect(largest).toBeGreaterThan(3_900 * PAGE);
    expect(largest).toBeLessThan(4_500 * (PAGE + 24));
  });
});
