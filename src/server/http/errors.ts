import type { FastifyError, FastifyInstance } from "fastify";
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from "../../protocol/index.js";
import { AppError } from "../domain/errors.js";

const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "57P01",
  "57P03",
  "SQLITE_BUSY",
  "SQLITE_FULL",
  "SQLITE_IOERR",
]);

/** Maps anything thrown while handling a request to the protocol's error shape; never a stack trace. */
export function toErrorReply(error: unknown): { status: number; body: ErrorBody; retryAfter?: number } {
  if (error instanceof AppError) {
    return {
      status: ERROR_STATUS[error.code],
      body: { error: error.toApiError() },
      retryAfter: error.retryAfter,
    };
  }
  const e = error as Partial<FastifyError>;
  const byStatus: Record<number, [ErrorCode, string]> = {
    400: ["invalid_input", "The request body is not valid JSON."],
    413: ["payload_too_large", "The request body is too large."],
    415: ["unsupported_media_type", "Send JSON with Content-Type: application/json."],
  };
  const known = e.statusCode !== undefined ? byStatus[e.statusCode] : undefined;
  if (known)
    return { status: e.statusCode as number, body: { error: { code: known[0], message: known[1] } } };
  if (typeof e.code === "string" && UNAVAILABLE_CODES.has(e.code)) {
    return {
      status: 503,
      body: { error: { code: "unavailable", message: "The service is briefly unavailable. Try again." } },
    };
  }
  return {
    status: 500,
    body: { error: { code: "internal_error", message: "Something went wrong on our side." } },
  };
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const { status, body, retryAfter } = toErrorReply(error);
    if (status >= 500) request.log.error({ err: error }, "request failed");
    if (retryAfter !== undefined) reply.header("retry-after", String(retryAfter));
    return reply.code(status).send(body);
  });
}
