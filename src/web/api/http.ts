import { type ApiError, type ErrorCode, isErrorCode } from "../../protocol/errors.js";
import { t } from "../i18n/index.js";

/** Protocol error codes plus the two failures that happen before the server answers. */
export type ClientErrorCode = ErrorCode | "network_error" | "timeout";

/** A failed request, carrying the protocol's error code so callers can switch on it. */
export class ApiRequestError extends Error {
  readonly code: ClientErrorCode;
  readonly status: number;
  readonly fields: Record<string, string>;
  /** From `Retry-After`, for `rate_limited`. */
  readonly retryAfterSeconds: number | null;

  constructor(
    code: ClientErrorCode,
    message: string,
    status = 0,
    fields: Record<string, string> = {},
    retryAfter: number | null = null,
  ) {
    super(message);
    this.name = "ApiRequestError";
    this.code = code;
    this.status = status;
    this.fields = fields;
    this.retryAfterSeconds = retryAfter;
  }
}

const REQUEST_TIMEOUT_MS = 15_000;

function parseRetryAfter(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function readError(body: unknown): ApiError | null {
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

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * Same-origin JSON request. State-changing requests always carry a JSON body (`{}` when there is
 * nothing to say): the server refuses other content types. Resolves with the parsed body, or
 * undefined for 204; rejects with ApiRequestError.
 */
export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = {
    method,
    credentials: "same-origin",
    headers: { Accept: "application/json" },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  };
  if (method !== "GET") {
    init.headers = { Accept: "application/json", "Content-Type": "application/json" };
    init.body = JSON.stringify(body ?? {});
  }
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (err) {
    if (err instanceof DOMException && err.name === "TimeoutError") {
      throw new ApiRequestError("timeout", t("errors.code.timeout"));
    }
    throw new ApiRequestError("network_error", t("errors.code.network_error"));
  }
  if (response.status === 204) return undefined as T;
  const parsed: unknown = await response.json().catch(() => null);
  if (response.ok) return parsed as T;
  const error = readError(parsed);
  throw new ApiRequestError(
    error?.code ?? (response.status >= 500 ? "internal_error" : "invalid_input"),
    error?.message ?? t("errors.status", { status: String(response.status) }),
    response.status,
    error?.fields ?? {},
    parseRetryAfter(response.headers.get("Retry-After")),
  );
}
