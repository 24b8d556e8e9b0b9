import { createCipheriv, createECDH, createHmac, randomBytes } from "node:crypto";

/** Record size announced in the header: one record holds any payload we send (≤ 4 KiB). */
const RECORD_SIZE = 4096;

const hmac = (key: Buffer, data: Buffer) => createHmac("sha256", key).update(data).digest();

/** HKDF-SHA-256 (RFC 5869) for outputs of at most 32 bytes: one expand round. */
function hkdf(salt: Buffer, ikm: Buffer, info: Buffer, length: number): Buffer {
  const prk = hmac(salt, ikm);
  return hmac(prk, Buffer.concat([info, Buffer.from([1])])).subarray(0, length);
}

export interface SubscriptionKeys {
  /** The browser's P-256 public key, 65 bytes uncompressed. */
  p256dh: Buffer;
  /** The browser's 16-byte authentication secret. */
  auth: Buffer;
}

/**
 * Encrypts a push message for one subscription (RFC 8291, `aes128gcm` content coding of RFC 8188):
 * a fresh ECDH key pair and salt per message; the body is the header (salt, record size, our public
 * key) followed by one AES-128-GCM record.
 */
export function encryptPushPayload(plaintext: Buffer, keys: SubscriptionKeys): Buffer {
  const ecdh = createECDH("prime256v1");
  const serverPublic = ecdh.generateKeys();
  const shared = ecdh.computeSecret(keys.p256dh);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), keys.p256dh, serverPublic]);
  const ikm = hkdf(keys.auth, shared, keyInfo, 32);
  const salt = randomBytes(16);
  const cek = hkdf(salt, ikm, Buffer.from("Content-Encoding: aes128gcm\0"), 16);
  const nonce = hkdf(salt, ikm, Buffer.from("Content-Encoding: nonce\0"), 12);
  const cipher = createCipheriv("aes-128-gcm", cek, nonce);
  // 0x02 marks the last (and only) record; no padding.
  const body = Buffer.concat([cipher.update(Buffer.concat([plaintext, Buffer.from([2])])), cipher.final()]);
  const header = Buffer.alloc(21);
  salt.copy(header, 0);
  header.writeUInt32BE(RECORD_SIZE, 16);
  header.writeUInt8(serverPublic.length, 20);
  return Buffer.concat([header, serverPublic, body, cipher.getAuthTag()]);
}

/** True when `p256dh` is a point on P-256 (a bad key would fail every push later). */
export function isValidP256Point(p256dh: Buffer): boolean {
  if (p256dh.length !== 65 || p256dh[0] !== 4) return false;
  try {
    const probe = createECDH("prime256v1");
    probe.generateKeys();
    probe.computeSecret(p256dh);
    return true;
  } catch {
    return false;
  }
}
