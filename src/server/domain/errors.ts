import type { ApiError, ErrorCode } from "../../protocol/index.js";

/** A refusal the client should see: a protocol error code with a human message. */
export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    /** Seconds until a rate-limited request may be tried again. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }

  toApiError(): ApiError {
    return this.fields
      ? { code: this.code, message: this.message, fields: this.fields }
      : { code: this.code, message: this.message };
  }
}

export const notFound = () => new AppError("not_found", "No such chat.");
