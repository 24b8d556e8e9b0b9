import { type Algorithm, hash, verify } from "@node-rs/argon2";

// Argon2id, OWASP's baseline cost (19 MiB, 2 passes). Hashing runs on libuv's thread pool,
// never on the event loop. (Algorithm is an ambient const enum, hence the literal.)
const ARGON2ID = 2 as Algorithm;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies a password. Without a stored hash (unknown account) it still spends the same work on a
 * dummy hash, so response times do not reveal which emails are registered.
 */
export async function verifyPassword(storedHash: string | undefined, password: string): Promise<boolean> {
  if (storedHash === undefined) {
    dummyHash ??= hashPassword("glasschat-dummy-password");
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(storedHash, password).catch(() => false);
}
