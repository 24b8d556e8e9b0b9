import { createECDH } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

  it("always generates a 32-byte private key, also when its first byte is zero (one key in 256)", () => {
    let leadingZero = 0;
    for (let i = 0; i < 3000; i++) {
      const raw = Buffer.from(generateVapidKeys().privateKey, "base64url");
      expect(raw.length).toBe(32);
      if (raw[0] === 0) leadingZero++;
    }
    // 3,000 keys hold about 12 such keys; none is the chance of 1 in 100,000.
    expect(leadingZero).toBeGreaterThan(0);
  });

  it("reads a key file whose private key lost its leading zero byte (written by an earlier version)", () => {
    // What ECDH gives for a scalar whose first byte is zero: 31 bytes.
    let ecdh = createECDH("prime256v1");
    while (ecdh.generateKeys() && ecdh.getPrivateKey().length === 32) ecdh = createECDH("prime256v1");
    const publicKey = ecdh.getPublicKey().toString("base64url");
    const short = ecdh.getPrivateKey();
    const DATA_DIR = dataDir();
    writeFileSync(
      join(DATA_DIR, "vapid-keys.json"),
      JSON.stringify({ publicKey, privateKey: short.toString("base64url") }),
    );
    const padded = Buffer.concat([Buffer.alloc(32 - short.length), short]).toString("base64url");
    expect(loadConfig({ DATA_DIR }).push.vapid).toEqual({ publicKey, privateKey: padded });
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
