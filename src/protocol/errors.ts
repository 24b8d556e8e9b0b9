/**
 * The one error catalogue: every code the server answers with, and its HTTP status.
 * Wire shape: `{"error": {"code", "message", "fields"?}}` for HTTP and `{ok: false, error}` in acks.
 */
export const ERROR_STATUS = {
  invalid_input: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  forbidden_origin: 403,
  registration_closed: 403,
  not_found: 404,
  request_timeout: 408,
  user_not_found: 404,
  email_taken: 409,
  username_taken: 409,
  token_invalid: 410,
  payload_too_large: 413,
  quota_exceeded: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  range_not_satisfiable: 416,
  unknown_host: 421,
  rate_limited: 429,
  headers_too_large: 431,
  internal_error: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ApiError {
  code: ErrorCode;
  message: string;
  /** Per-field explanations for `invalid_input`. */
  fields?: Record<string, string>;
}

export interface ErrorBody {
  error: ApiError;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_STATUS, value);
}
