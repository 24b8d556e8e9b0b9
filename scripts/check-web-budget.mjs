// Fails the web build when the JavaScript needed for the first render grows past the budget.
// "Initial" = the entry module and every chunk index.html preloads; lazy chunks do not count.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

// 150 KB held the v1 chat; the second wave added files, search, presence, blocking, accounts,
// notifications and a second language to the first screen's code (German and the mail-link pages,
// the photo viewer, Settings and Insights load on demand). 160 KB keeps it under review.
const BUDGET_BYTES = 160 * 1024;
const root = new URL("../dist/web/", import.meta.url).pathname;
const html = readFileSync(join(root, "index.html"), "utf8");

const scripts = [...html.matchAll(/<script[^>]+type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]);
const preloads = [...html.matchAll(/<link[^>]+rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
const files = [...new Set([...scripts, ...preloads])];
if (files.length === 0) {
  console.error("check-web-budget: no module script found in dist/web/index.html");
  process.exit(1);
}

let total = 0;
for (const file of files) {
  const bytes = gzipSync(readFileSync(join(root, file.replace(/^\//, "")))).length;
  total += bytes;
  console.log(`  ${file}  ${(bytes / 1024).toFixed(1)} KB gzip`);
}
const verdict = total <= BUDGET_BYTES ? "ok" : "OVER BUDGET";
console.log(`initial JS: ${(total / 1024).toFixed(1)} KB gzip (budget ${BUDGET_BYTES / 1024} KB) ${verdict}`);
if (total > BUDGET_BYTES) process.exit(1);
