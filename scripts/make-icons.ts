/**
 * Renders the app icons (PNG) from the favicon's drawing with Chromium:
 * `npx tsx scripts/make-icons.ts`. The PNGs are committed; run this again after changing the design.
 */
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";

const OUT = new URL("../src/web/public/icons/", import.meta.url);
const favicon = readFileSync(new URL("../src/web/public/favicon.svg", import.meta.url), "utf8");
// Maskable: the background fills the square and the bubble sits inside the central 80 % safe zone.
const maskable = favicon
  .replace(
    '<rect width="64" height="64" rx="16" fill="url(#g)"/>',
    '<rect width="64" height="64" fill="url(#g)"/>',
  )
  .replace(/<path/, '<g transform="translate(6.4 6.4) scale(.8)"><path')
  .replace("</svg>", "</g></svg>");

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
const page = await browser.newPage();
for (const [name, svg, size] of [
  ["icon-192.png", favicon, 192],
  ["icon-512.png", favicon, 512],
  ["icon-maskable-512.png", maskable, 512],
] as const) {
  await page.setViewportSize({ width: size, height: size });
  const sized = svg.replace("<svg ", `<svg width="${size}" height="${size}" `);
  await page.setContent(
    `<style>html,body{margin:0;background:transparent}svg{display:block}</style>${sized}`,
  );
  await page.screenshot({ path: new URL(name, OUT).pathname, omitBackground: true });
}
await browser.close();
