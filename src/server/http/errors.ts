import type { IncomingMessage } from "node:http";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from "../../protocol/index.js";
import { AppError } from "../domain/errors.js";

/** How much of a refused body is read and thrown away so that the client can read the answer. */
const DISCARD_LIMIT_BYTES = 8 * 1024 * 1024;

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
  const byFastifyCode: Record<string, [ErrorCode, string]> = {
    FST_ERR_BAD_URL: ["invalid_input", "The URL is not valid."],
    FST_ERR_MAX_PARAM_LENGTH: ["uri_too_long", "A part of the URL is too long."],
  };
  const byStatus: Record<number, [ErrorCode, string]> = {
    400: ["invalid_input", "The request body is not valid JSON."],
    404: ["not_found", "No such route."],
    413: ["payload_too_large", "The request body is too large."],
    415: ["unsupported_media_type", "Send JSON with Content-Type: application/json."],
  };
  const status = e.statusCode;
  const known =
    (typeof e.code === "string" ? byFastifyCode[e.code] : undefined) ??
    (status !== undefined ? byStatus[status] : undefined) ??
    // Other refusals of a malformed request by Fastify or a plug-in (a bad Content-Length, a Range
    // past the end of a file): the client's fault, so not a 500.
    (status !== undefined && status >= 400 && status < 500
      ? (["invalid_input", "The request is not valid."] as [ErrorCode, string])
      : undefined);
  if (known)
    return { status: ERROR_STATUS[known[0]], body: { error: { code: known[0], message: known[1] } } };
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
  // Requests still arriving on open connections while the server closes: 503, and no keep-alive.
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onRequest", async (_request, reply) => {
    if (!closing) return;
    reply.header("connection", "close");
    throw new AppError("unavailable", "The server is restarting. Try again.", undefined, 1);
  });
  app.setErrorHandler(async (error, request, reply) => {
    const { status, body, retryAfter } = toErrorReply(error);
    if (status >= 500) request.log.error({ err: error }, "request failed");
    if (retryAfter !== undefined) reply.header("retry-after", String(retryAfter));
    // Answering (and closing) while the client is still uploading makes it see a connection
    // reset instead of the answer: read the rest of a refused body first, up to a bound.
    if (!(await discardBody(request.raw, DISCARD_LIMIT_BYTES))) reply.header("connection", "close");
    return reply.code(status).send(body);
  });
}

/** Fastify's `frameworkErrors`: the router's refusals (a malformed or too long URL) in our shape. */
export function answerFrameworkError(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const { status, body } = toErrorReply(error);
  reply.code(status).send(body);
}

/** Reads and drops what is left of a request body; false when it was more than `limit` bytes. */
function discardBody(request: IncomingMessage, limit: number): Promise<boolean> {
  if (request.complete || request.destroyed) return Promise.resolve(true);
  return new Promise((resolve) => {
    let seen = 0;
    const finish = (complete: boolean) => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("close", onEnd);
      request.off("error", onEnd);
      resolve(complete);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limit) finish(false);
    };
    const onEnd = () => finish(request.complete);
    request.on("data", onData);
    request.once("end", onEnd);
    request.once("close", onEnd);
    request.once("error", onEnd);
    request.resume();
  });
}
