import type { FastifyRequest } from "fastify";
import type { ClientInfo } from "../domain/accounts.service.js";
import { mailLocale } from "../mail/texts/index.js";

/** The user agent kept with a new session, and the mail language (the body's, else Accept-Language). */
export function clientInfo(request: FastifyRequest, locale?: string): ClientInfo {
  const userAgent = request.headers["user-agent"];
  return {
    userAgent: typeof userAgent === "string" ? userAgent : undefined,
    locale: locale ?? mailLocale(request.headers["accept-language"]),
  };
}
