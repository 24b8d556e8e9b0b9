import { type ApiError as ErrorBody, type ErrorCode, isErrorCode } from "../protocol/errors.js";

/** The protocol's error codes plus the failures that happen before the server answers. */
export type ClientErrorCode = ErrorCode | "network_error" | "timeout";

/**
 * Every failure of the client: a catalogue code from the server (`src/protocol/errors.ts`), or
 * `network_error` / `timeout` when no answer came. Callers switch on `code`.
 */
export class ApiError extends Error {
  override name = "ApiError";
  readonly code: ClientErrorCode;
  /** HTTP status; 0 when there was no HTTP answer (socket acks, network failures). */
  readonly status: number;
  /** Per-field explanations for `invalid_input`. */
  readonly fields: Record<string, string>;
  /** From `Retry-After`, for `rate_limited`. */
  readonly retryAfterSeconds: number | null;

  constructor(
    code: ClientErrorCode,
    message: string,
    options: { status?: number; fields?: Record<string, string>; retryAfterSeconds?: number | null } = {},
  ) {
    super(message);
    this.code = code;
    this.status = options.status ?? 0;
    this.fields = options.fields ?? {};
    this.retryAfterSeconds = options.retryAfterSeconds ?? null;
  }

  /** From the wire shape `{code, message, fields?}` (an ack's `error`, or an HTTP body's). */
  static from(error: ErrorBody, status = 0, retryAfterSeconds: number | null = null): ApiError {
    return new ApiError(error.code, error.message, {
      status,
      ...(error.fields ? { fields: error.fields } : {}),
      retryAfterSeconds,
    });
  }
}

/** The `error` of an `{"error": {...}}` body, or null when the body is not one. */
export function readErrorBody(body: unknown): ErrorBody | null {
  if (typeof body !== "object" || body === null || !("error" in body)) return null;
  const error = (body as { error: unknown }).error;
  if (typeof error !== "object" || error === null) return null;
  const { code, message, fields } = error as Record<string, unknown>;
  if (!isErrorCode(code)) return null;
  return {
    code,
    message: typeof message === "string" ? message : code,
    ...(typeof fields === "object" && fields !== null ? { fields: fields as Record<string, string> } : {}),
  };
}

export function parseRetryAfter(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
