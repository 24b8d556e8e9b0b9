import fastifyCookie from "@fastify/cookie";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { OriginPolicy } from "../origin.js";
import { answerFrameworkError, registerErrorHandling } from "./errors.js";
import { answerClientError } from "./raw-errors.js";
import { registerApiSchemas } from "./schema.js";
import { registerSecurity } from "./security.js";

/**
 * TRUST_PROXY=on trusts the proxy we are connected to and no further: the client IP is the last
 * X-Forwarded-For entry, the one that proxy added. Earlier entries come from the client itself and
 * would let it pick its own address (and a fresh rate limit with each request).
 */
const trustOnlyTheNearestProxy = (_address: string, hop: number): boolean => hop === 0;

/**
 * The Fastify instance every route registers on: JSON bodies only, cookies, the zod schemas,
 * errors in the protocol's shape (the framework's own included), security headers and origin
 * checks, and one log line per request.
 */
export async function createHttpServer(
  config: Pick<Config, "trustProxy">,
  logger: Logger,
  origins: OriginPolicy,
): Promise<FastifyInstance> {
  const http = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // One line per request instead of two: see the onResponse hook below.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: config.trustProxy ? trustOnlyTheNearestProxy : false,
    bodyLimit: 64 * 1024,
    // A reaction's emoji (up to 32 code points) is a path segment of up to ~400 encoded characters.
    routerOptions: { maxParamLength: 512 },
    // Answered by registerErrorHandling instead, in the protocol's shape.
    return503OnClosing: false,
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
  });
  // Only JSON bodies: a cross-site HTML form cannot send them.
  http.removeContentTypeParser(["text/plain"]);
  await http.register(fastifyCookie);
  await registerApiSchemas(http);
  registerErrorHandling(http);
  registerSecurity(http, origins);
  http.addHook("onResponse", async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        url: request.url.split("?")[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      "request",
    );
  });
  return http;
}
