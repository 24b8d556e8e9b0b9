import type { IncomingHttpHeaders } from "node:http";

/**
 * Browsers send Origin with every cross-origin state-changing request and every WebSocket
 * handshake, so a foreign Origin (or Sec-Fetch-Site: cross-site) means another site is driving the
 * user's browser. Requests without Origin come from non-browser clients (curl, bots) and carry no
 * ambient cookie risk beyond their own.
 */
export function isAllowedOrigin(headers: IncomingHttpHeaders, publicOrigin: string | undefined): boolean {
  if (headers["sec-fetch-site"] === "cross-site") return false;
  const origin = headers.origin;
  if (origin === undefined) return true;
  if (publicOrigin !== undefined) return origin === publicOrigin;
  try {
    return new URL(origin).host === headers.host;
  } catch {
    return false;
  }
}
