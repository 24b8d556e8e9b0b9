import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/**
 * Addresses a push must never reach (request forgery against the server's own network): loopback,
 * private, link-local, carrier-grade NAT, documentation, benchmark, multicast and reserved ranges.
 */
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["64:ff9b:1::", 48],
  ["100::", 64],
  ["2001::", 23],
  ["2001:db8::", 32],
  ["2002::", 16],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, "ipv6");
}

/**
 * True for an address on the public internet. BlockList judges an IPv4-mapped IPv6 address
 * (::ffff:127.0.0.1, ::ffff:7f00:1) by the IPv4 rules.
 */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return !NOT_PUBLIC.check(address, family === 4 ? "ipv4" : "ipv6");
}

export interface CheckedEndpoint {
  url: URL;
  /** The address the request must go to: the one that was checked (no second DNS answer). */
  address: string;
  family: 4 | 6;
}

export class EndpointRefused extends Error {
  override name = "EndpointRefused";
}

/**
 * Resolves a push endpoint and refuses it unless it is an https URL whose host resolves only to
 * public addresses. `allowPrivate` (PUSH_ALLOW_PRIVATE_ENDPOINTS, for tests and closed networks)
 * also lets plain http and private or loopback addresses through.
 */
export async function checkEndpoint(endpoint: string, allowPrivate: boolean): Promise<CheckedEndpoint> {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new EndpointRefused("not a URL");
  }
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) {
    throw new EndpointRefused("must be an https URL");
  }
  if (url.username || url.password) throw new EndpointRefused("must not carry credentials");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: { address: string; family: number }[];
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true });
  } catch {
    throw new EndpointRefused("its host name does not resolve");
  }
  const first = addresses[0];
  if (!first) throw new EndpointRefused("its host name does not resolve");
  if (!allowPrivate && !addresses.every((a) => isPublicAddress(a.address))) {
    throw new EndpointRefused("must be on a public address");
  }
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
