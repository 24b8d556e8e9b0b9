import { ApiRequestError, type ClientErrorCode } from "../api/http.js";
import type { MessengerContext } from "./state.js";

/**
 * The client's own sentence for every error code of the catalogue (and the two failures before
 * the server answers), for answers that carry no readable message. test/openapi.test.ts fails
 * when a catalogue code is missing here.
 */
export const ERROR_MESSAGES: Record<ClientErrorCode, string> = {
  invalid_input: "Check what you entered and try again.",
  unauthorized: "Please sign in again.",
  invalid_credentials: "Wrong email or password.",
  forbidden_origin: "This request came from another site and was refused.",
  not_found: "This no longer exists.",
  user_not_found: "Nobody has that email.",
  email_taken: "An account with this email already exists.",
  username_taken: "This username is taken.",
  payload_too_large: "That is too large to send.",
  unsupported_media_type: "The app sent something the server does not understand. Reload the page.",
  forbidden: "You are not allowed to do that here.",
  registration_closed: "Sign-up needs an invitation on this server.",
  token_invalid: "This link is used, expired or was revoked.",
  quota_exceeded: "Your storage is full. Delete some files and try again.",
  rate_limited: "Too many attempts. Wait a moment and try again.",
  internal_error: "Something went wrong on our side. Please try again.",
  unavailable: "The server is briefly unavailable. Try again in a moment.",
  request_timeout: "The request took too long to arrive. Try again.",
  uri_too_long: "That address is too long.",
  unknown_host: "This server is not set up for the address you used. Ask its admin to add it.",
  headers_too_large:
    "Your browser sent too much data with the request. Clear this site's cookies and sign in again.",
  network_error: "Cannot reach the server. Check your connection.",
  timeout: "The server took too long to answer.",
};

/** A human sentence for any failure. */
export function describeError(error: unknown): string {
  if (error instanceof ApiRequestError) {
    if (error.code === "rate_limited" && error.retryAfterSeconds !== null) {
      return `Too many attempts. Try again in ${error.retryAfterSeconds} s.`;
    }
    return error.message && error.message !== error.code ? error.message : ERROR_MESSAGES[error.code];
  }
  return "Something went wrong. Please try again.";
}

/** Ends the session in the UI when the server no longer knows it; returns the message to show. */
export function handleError(ctx: MessengerContext, error: unknown): string {
  if (error instanceof ApiRequestError && error.code === "unauthorized") ctx.signedOut();
  return describeError(error);
}
