import { createECDH, createPrivateKey, type KeyObject, sign } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The server's VAPID key pair (RFC 8292), base64url: the raw P-256 point and private scalar. */
export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

const KEY_FILE = "vapid-keys.json";

/** Checks a pair given by environment variables; returns a message naming the problem, or undefined. */
export function vapidKeysProblem(keys: VapidKeys): string | undefined {
  const publicRaw = Buffer.from(keys.publicKey, "base64url");
  const privateRaw = Buffer.from(keys.privateKey, "base64url");
  if (publicRaw.length !== 65 || publicRaw[0] !== 4) {
    return "VAPID_PUBLIC_KEY must be a base64url P-256 public key (65 bytes, uncompressed)";
  }
  if (privateRaw.length !== 32) return "VAPID_PRIVATE_KEY must be a base64url P-256 private key (32 bytes)";
  try {
    const ecdh = createECDH("prime256v1");
    ecdh.setPrivateKey(privateRaw);
    if (!ecdh.getPublicKey().equals(publicRaw))
      return "VAPID_PUBLIC_KEY is not the public key of VAPID_PRIVATE_KEY";
  } catch {
    return "VAPID_PRIVATE_KEY is not a valid P-256 private key";
  }
  return undefined;
}

/** P-256's private scalar in its fixed 32 bytes: ECDH gives it without leading zero bytes. */
const PRIVATE_KEY_BYTES = 32;

function fixedWidthPrivateKey(raw: Buffer): string {
  const padded = Buffer.alloc(PRIVATE_KEY_BYTES);
  raw.copy(padded, PRIVATE_KEY_BYTES - raw.length);
  return padded.toString("base64url");
}

export function generateVapidKeys(): VapidKeys {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  return {
    publicKey: ecdh.getPublicKey().toString("base64url"),
    // One key in 256 has a leading zero byte, which getPrivateKey() leaves out.
    privateKey: fixedWidthPrivateKey(ecdh.getPrivateKey()),
  };
}

/** Keys made once into the data folder (like the session secret), so subscriptions survive restarts. */
export function loadOrCreateVapidKeys(dataDir: string): VapidKeys {
  const file = join(dataDir, KEY_FILE);
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, "utf8")) as VapidKeys;
    // Files written before generateVapidKeys padded the scalar hold one key in 256 as 31 bytes.
    const raw = Buffer.from(String(stored.privateKey), "base64url");
    const keys =
      raw.length > 0 && raw.length < PRIVATE_KEY_BYTES
        ? { ...stored, privateKey: fixedWidthPrivateKey(raw) }
        : stored;
    const problem = vapidKeysProblem(keys);
    if (problem) throw new Error(`${file}: ${problem.replaceAll("VAPID_", "")}; delete it to make new keys`);
    return keys;
  }
  const keys = generateVapidKeys();
  writeFileSync(file, `${JSON.stringify(keys)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return keys;
}

export function vapidSigningKey(keys: VapidKeys): KeyObject {
  const point = Buffer.from(keys.publicKey, "base64url");
  return createPrivateKey({
    key: {
      kty: "EC",
      crv: "P-256",
      x: point.subarray(1, 33).toString("base64url"),
      y: point.subarray(33, 65).toString("base64url"),
      d: keys.privateKey,
    },
    format: "jwk",
  });
}

const VAPID_TTL_S = 12 * 60 * 60;

/**
 * The `Authorization: vapid t=…, k=…` header for one push service (RFC 8292): an ES256 JWT for the
 * endpoint's origin, valid 12 hours (push services refuse more than 24).
 */
export function vapidAuthorization(
  endpoint: URL,
  keys: VapidKeys,
  signingKey: KeyObject,
  subject: string,
  nowMs: number,
): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${encode({ typ: "JWT", alg: "ES256" })}.${encode({
    aud: endpoint.origin,
    exp: Math.floor(nowMs / 1000) + VAPID_TTL_S,
    sub: subject,
  })}`;
  const signature = sign("sha256", Buffer.from(unsigned), { key: signingKey, dsaEncoding: "ieee-p1363" });
  return `vapid t=${unsigned}.${signature.toString("base64url")}, k=${keys.publicKey}`;
}
