import { ApiRequestError } from "../api/http.js";
import type { MessengerContext } from "./state.js";

/** A human sentence for any failure. */
export function describeError(error: unknown): string {
  if (error instanceof ApiRequestError) {
    if (error.code === "rate_limited" && error.retryAfterSeconds !== null) {
      return `Too many attempts. Try again in ${error.retryAfterSeconds} s.`;
    }
    return error.message;
  }
  return "Something went wrong. Please try again.";
}

/** Ends the session in the UI when the server no longer knows it; returns the message to show. */
export function handleError(ctx: MessengerContext, error: unknown): string {
  if (error instanceof ApiRequestError && error.code === "unauthorized") ctx.signedOut();
  return describeError(error);
}
