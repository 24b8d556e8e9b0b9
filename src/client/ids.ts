/**
 * A random clientId for idempotent sends. crypto.randomUUID exists only in secure contexts (and a
 * self-hosted server is often reached over plain http), getRandomValues exists everywhere.
 */
export function newClientId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
