import type { FastifyInstance } from "fastify";
import { AppError } from "../domain/errors.js";
import { isAllowedOrigin } from "../origin.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

// The web client needs nothing from other hosts: fonts, scripts and styles are all our own.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export function registerSecurity(app: FastifyInstance, publicOrigin: string | undefined): void {
  app.addHook("onRequest", async (request) => {
    if (!SAFE_METHODS.has(request.method) && !isAllowedOrigin(request.headers, publicOrigin)) {
      throw new AppError("forbidden_origin", "Requests from other sites are not allowed.");
    }
  });
  app.addHook("onSend", async (_request, reply) => {
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "no-referrer");
    reply.header("x-frame-options", "DENY");
    reply.header("content-security-policy", CONTENT_SECURITY_POLICY);
  });
}
