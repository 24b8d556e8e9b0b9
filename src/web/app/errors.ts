import { LIMITS } from "../../protocol/limits.js";
import { ApiError, type ClientErrorCode } from "../api/http.js";
import { en } from "../i18n/en/index.js";
import { formatMessage } from "../i18n/format.js";
import { currentLocale, type MessageKey, t } from "../i18n/index.js";
import type { Params } from "../i18n/types.js";
import type { MessengerContext } from "./state.js";

/**
 * The catalogue key of the client's own sentence for every error code (and the two failures
 * before the server answers), for answers that carry no readable message and for readers of
 * another language than the server's. test/openapi.test.ts fails when a code is missing here.
 */
export const ERROR_MESSAGES: Record<ClientErrorCode, MessageKey> = {
  invalid_input: "errors.code.invalid_input",
  unauthorized: "errors.code.unauthorized",
  invalid_credentials: "errors.code.invalid_credentials",
  forbidden_origin: "errors.code.forbidden_origin",
  not_found: "errors.code.not_found",
  user_not_found: "errors.code.user_not_found",
  email_taken: "errors.code.email_taken",
  username_taken: "errors.code.username_taken",
  payload_too_large: "errors.code.payload_too_large",
  unsupported_media_type: "errors.code.unsupported_media_type",
  forbidden: "errors.code.forbidden",
  registration_closed: "errors.code.registration_closed",
  token_invalid: "errors.code.token_invalid",
  quota_exceeded: "errors.code.quota_exceeded",
  rate_limited: "errors.code.rate_limited",
  range_not_satisfiable: "errors.code.range_not_satisfiable",
  internal_error: "errors.code.internal_error",
  unavailable: "errors.code.unavailable",
  request_timeout: "errors.code.request_timeout",
  uri_too_long: "errors.code.uri_too_long",
  unknown_host: "errors.code.unknown_host",
  headers_too_large: "errors.code.headers_too_large",
  network_error: "errors.code.network_error",
  timeout: "errors.code.timeout",
};

/** The protocol's validation texts (src/protocol/schemas.ts), with the limits they name (as written there). */
const PROTOCOL_TEXTS: ReadonlyArray<[MessageKey, Params?]> = [
  ["errors.field.email"],
  ["errors.field.username", { min: String(LIMITS.usernameMin), max: String(LIMITS.usernameMax) }],
  ["errors.field.passwordMin", { min: String(LIMITS.passwordMin) }],
  ["errors.field.passwordMax", { max: String(LIMITS.passwordMax) }],
  ["errors.field.passwordMissing"],
  ["errors.field.text"],
  ["errors.field.messageEmpty"],
  ["errors.field.messageMax", { max: String(LIMITS.bodyMax) }],
  ["errors.field.messageInvisible"],
  ["errors.field.groupName"],
  ["errors.field.groupNameMax", { max: String(LIMITS.groupTitleMax) }],
  ["errors.field.groupPeople"],
];

let known: Map<string, [MessageKey, Params?]> | undefined;

/**
 * A text from the server or the protocol's schemas in the reader's language: a known validation
 * text is translated; any other English text is kept for English readers and replaced by the
 * sentence for `code` otherwise.
 */
export function serverText(text: string | undefined, code: ClientErrorCode = "invalid_input"): string {
  known ??= new Map(
    PROTOCOL_TEXTS.map(([key, params]) => [formatMessage("en", en[key], params), [key, params]]),
  );
  const hit = text === undefined ? undefined : known.get(text);
  if (hit) return t(hit[0], hit[1]);
  if (text && text !== code && currentLocale() === "en") return text;
  return t(ERROR_MESSAGES[code]);
}

/** A human sentence for any failure. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === "rate_limited" && error.retryAfterSeconds !== null) {
      return t("errors.rateLimitedIn", { count: error.retryAfterSeconds });
    }
    return serverText(error.message, error.code);
  }
  return t("errors.generic");
}

/** Ends the session in the UI when the server no longer knows it; returns the message to show. */
export function handleError(ctx: MessengerContext, error: unknown): string {
  if (error instanceof ApiError && error.code === "unauthorized") ctx.signedOut();
  return describeError(error);
}
