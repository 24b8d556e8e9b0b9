import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERROR_STATUS, EVENTS } from "../src/protocol/index.js";

const apiDocs = readFileSync(new URL("../docs/api.md", import.meta.url), "utf8");
const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const configSource = readFileSync(new URL("../src/server/config.ts", import.meta.url), "utf8");

describe("documentation", () => {
  it.each(Object.entries(ERROR_STATUS))("docs/api.md lists error code %s with status %i", (code, status) => {
    expect(apiDocs).toMatch(new RegExp(`\\| \`${code}\` \\| ${status} \\|`));
  });

  it.each(Object.values(EVENTS))("docs/api.md describes the event %s", (event) => {
    expect(apiDocs).toContain(`\`${event}\``);
  });

  it.each([...configSource.matchAll(/^ {2}([A-Z][A-Z0-9_]+): /gm)].map((m) => m[1] as string))(
    "README's configuration table has %s",
    (variable) => {
      expect(readme).toMatch(new RegExp(`\\| \`${variable}\` \\|`));
    },
  );
});
