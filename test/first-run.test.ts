import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "./support/server.js";

describe("a newcomer's first run", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("builds the web client without Vite's chunk-size warning", () => {
    const outDir = mkdtempSync(join(tmpdir(), "glasschat-web-"));
    try {
      const build = spawnSync("node_modules/.bin/vite", ["build", "--outDir", outDir, "--emptyOutDir"], {
        encoding: "utf8",
        // As `npm start` runs it: Vitest sets NODE_ENV=test, which would bundle React's development build.
        env: { ...process.env, NODE_ENV: "production", NO_COLOR: "1" },
      });
      expect(build.status, build.stderr).toBe(0);
      const output = `${build.stdout}\n${build.stderr}`;
      expect(output).toContain("built in");
      expect(output).not.toMatch(/larger than \d+ kB/);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });

  it("serves the favicon index.html links to, as SVG", async () => {
    const html = await (await fetch(server.url, { headers: { accept: "text/html" } })).text();
    const href = /<link rel="icon" href="([^"]+)" type="image\/svg\+xml"/.exec(html)?.[1];
    expect(href).toBe("/favicon.svg");
    const icon = await fetch(new URL(href ?? "", server.url));
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    expect(await icon.text()).toContain("<svg");
  });
});
