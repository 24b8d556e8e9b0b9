import type { Server } from "node:http";
import type { FastifyInstance } from "fastify";
import { AppError } from "../domain/errors.js";
import type { OriginPolicy } from "../origin.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

// The web client needs nothing from other hosts: fonts, scripts and styles are all our own.
// 'self' in connect-src also covers ws:/wss: to this same host and port (CSP Level 3; Chromium,
// Firefox and Safari 15.4+), so the WebSocket needs no scheme-wide ws: wss: source.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  // The service worker (/sw.js) and the web app manifest are our own files too.
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Sent with every answer: routes, framework errors, static files and Socket.IO's own. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "content-security-policy": CONTENT_SECURITY_POLICY,
};

export function registerSecurity(app: FastifyInstance, origins: OriginPolicy): void {
  app.addHook("onRequest", async (request) => {
    if (!origins.hostAllowed(request.raw)) {
      throw new AppError(
        "unknown_host",
        "This server does not answer for that host name: set PUBLIC_URL or ALLOWED_HOSTS to add it.",
      );
    }
    if (!SAFE_METHODS.has(request.method) && !origins.originAllowed(request.raw)) {
      throw new AppError("forbidden_origin", "Requests from other sites are not allowed.");
    }
  });
}

/**
 * Sets the security headers on the raw response before anyone answers, so that answers made
 * outside Fastify's hooks (its router's own errors, Socket.IO's polling and error answers) carry
 * them too. Call it after Socket.IO is attached: Socket.IO wraps the request listeners it finds,
 * and only a listener prepended afterwards runs for its paths as well.
 */
export function addSecurityHeadersToEveryResponse(server: Server): void {
  server.prependListener("request", (_request, response) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
  });
}
