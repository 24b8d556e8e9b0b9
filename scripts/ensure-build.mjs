// Runs before `npm start`: builds the server and the web client when the build is missing or
// older than the sources, so a fresh clone starts with `npm install && npm start`.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const STAMP = "dist/.build-stamp";
const INPUTS = ["src", "package.json", "vite.config.ts", "tsconfig.json", "tsconfig.build.json"];

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const built = existsSync(STAMP) && existsSync("dist/server/main.js") ? statSync(STAMP).mtimeMs : 0;
if (built >= Math.max(...INPUTS.map(newest))) process.exit(0);

console.log("Building Glasschat (first start or sources changed)…");
const result = spawnSync("npm", ["run", "build"], { stdio: "inherit", shell: process.platform === "win32" });
if (result.status !== 0) {
  console.error("The build failed: see the messages above.");
  process.exit(result.status ?? 1);
}
writeFileSync(STAMP, new Date().toISOString());
