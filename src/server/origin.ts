import type { IncomingMessage } from "node:http";
import { hostname as machineName, networkInterfaces } from "node:os";
import type { TLSSocket } from "node:tls";

export interface OriginPolicyOptions {
  /** PUBLIC_URL's origin: then it is the only Origin browsers may send. */
  publicOrigin: string | undefined;
  /** ALLOWED_HOSTS: further names this server answers for. */
  allowedHosts: string[];
  /** The HOST we listen on; 0.0.0.0 or :: stands for every address of this machine. */
  listenHost: string;
  /** TRUST_PROXY: the scheme comes from X-Forwarded-Proto. */
  trustProxy: boolean;
}

export interface OriginPolicy {
  /**
   * The Host header names this server: loopback, a listening address, the machine's name,
   * PUBLIC_URL's host or one in ALLOWED_HOSTS. Anything else is a name someone else pointed at us
   * (DNS rebinding: evil.example resolving to 127.0.0.1 makes the attacker's page "same origin").
   */
  hostAllowed(request: IncomingMessage): boolean;
  /**
   * Browsers send Origin with every cross-origin state-changing request and every WebSocket
   * handshake, so an Origin other than our own (scheme, host and port compared exactly), or
   * Sec-Fetch-Site: cross-site, means another site is driving the user's browser. Requests without
   * Origin come from non-browser clients (curl, bots) and carry no ambient cookie risk beyond their own.
   */
  originAllowed(request: IncomingMessage): boolean;
}

export function createOriginPolicy(options: OriginPolicyOptions): OriginPolicy {
  const names = new Set(
    [
      machineName(),
      ...options.allowedHosts,
      ...(options.publicOrigin ? [new URL(options.publicOrigin).hostname] : []),
      ...listeningAddresses(options.listenHost),
    ].map(bare),
  );

  const hostAllowed = (request: IncomingMessage): boolean => {
    const name = hostnameOf(request.headers.host);
    return name !== undefined && (names.has(name) || isLoopback(name));
  };

  const schemeOf = (request: IncomingMessage): string => {
    const forwarded = request.headers["x-forwarded-proto"];
    // The last entry is the one our own proxy set (as for X-Forwarded-For).
    const proto =
      typeof forwarded === "string" ? forwarded.split(",").at(-1)?.trim().toLowerCase() : undefined;
    if (options.trustProxy && (proto === "http" || proto === "https")) return proto;
    return (request.socket as TLSSocket).encrypted ? "https" : "http";
  };

  return {
    hostAllowed,
    originAllowed(request) {
      if (request.headers["sec-fetch-site"] === "cross-site") return false;
      const origin = request.headers.origin;
      if (origin === undefined) return true;
      if (options.publicOrigin !== undefined) return origin === options.publicOrigin;
      if (!hostAllowed(request)) return false;
      const own = originOf(`${schemeOf(request)}://${request.headers.host}`);
      return own !== undefined && origin === own;
    },
  };
}

/** Lower case, and an IPv6 address without its brackets: how names are compared. */
const bare = (name: string) => name.toLowerCase().replace(/^\[(.*)\]$/, "$1");

/** The lower-case host name of a Host header (IPv6 without brackets), or undefined when malformed. */
function hostnameOf(host: string | undefined): string | undefined {
  if (!host) return undefined;
  try {
    const url = new URL(`http://${host}`);
    if (url.host !== host.toLowerCase() && `${url.host}:80` !== host.toLowerCase()) return undefined;
    return bare(url.hostname);
  } catch {
    return undefined;
  }
}

function originOf(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

function isLoopback(name: string): boolean {
  return (
    name === "localhost" ||
    name.endsWith(".localhost") ||
    name === "::1" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name) ||
    /^::ffff:127\./.test(name)
  );
}

function listeningAddresses(listenHost: string): string[] {
  const host = bare(listenHost);
  if (host !== "0.0.0.0" && host !== "::") return [host];
  return Object.values(networkInterfaces())
    .flat()
    .flatMap((info) => (info ? [info.address.replace(/%.*$/, "")] : []));
}
