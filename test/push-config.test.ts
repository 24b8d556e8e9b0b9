import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/server/config.js";
import { generateVapidKeys } from "../src/server/push/vapid.js";

describe("VAPID configuration", () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "glasschat-vapid-"));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("generates the keys once into the data folder and reads the same ones on the next start", () => {
    const DATA_DIR = dataDir();
    const first = loadConfig({ DATA_DIR }).push.vapid;
    expect(Buffer.from(first.publicKey, "base64url")).toHaveLength(65);
    expect(JSON.parse(readFileSync(join(DATA_DIR, "vapid-keys.json"), "utf8"))).toEqual(first);
    expect(loadConfig({ DATA_DIR }).push.vapid).toEqual(first);
  });

  it("takes both keys from the environment", () => {
    const keys = generateVapidKeys();
    const config = loadConfig({
      DATA_DIR: dataDir(),
      VAPID_PUBLIC_KEY: keys.publicKey,
      VAPID_PRIVATE_KEY: keys.privateKey,
    });
    expect(config.push.vapid).toEqual(keys);
  });

  it.each([
    [{ VAPID_PUBLIC_KEY: generateVapidKeys().publicKey }, /set both or neither/],
    [
      { VAPID_PUBLIC_KEY: "abc", VAPID_PRIVATE_KEY: generateVapidKeys().privateKey },
      /VAPID_PUBLIC_KEY must be/,
    ],
    [
      { VAPID_PUBLIC_KEY: generateVapidKeys().publicKey, VAPID_PRIVATE_KEY: generateVapidKeys().privateKey },
      /is not the public key of VAPID_PRIVATE_KEY/,
    ],
    [{ VAPID_SUBJECT: "ops@example.org" }, /VAPID_SUBJECT: must be a mailto: or https:\/\/ address/],
    [{ PUSH_ALLOW_PRIVATE_ENDPOINTS: "yes" }, /PUSH_ALLOW_PRIVATE_ENDPOINTS/],
  ])("refuses to start with %j", (env, message) => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dataDir(), ...env })).toThrow(message);
  });
});
