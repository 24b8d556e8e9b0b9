import { ApiRequestError } from "../../api/http.js";
import { describeError } from "../../app/errors.js";

export type AuthField = "email" | "username" | "password";
export interface AuthErrors {
  fields: Partial<Record<AuthField, string>>;
  form: string | null;
}

const FIELDS: readonly AuthField[] = ["email", "username", "password"];

/** Maps the server's error codes to messages next to the field they concern. */
export function authErrorsFrom(error: unknown): AuthErrors {
  if (!(error instanceof ApiRequestError)) return { fields: {}, form: describeError(error) };
  switch (error.code) {
    case "email_taken":
      return { fields: { email: "An account with this email already exists. Log in instead?" }, form: null };
    case "username_taken":
      return { fields: { username: "This username is taken. Try another one." }, form: null };
    case "invalid_credentials":
      return { fields: {}, form: "Wrong email or password." };
    case "rate_limited":
      return {
        fields: {},
        form:
          error.retryAfterSeconds !== null
            ? `Too many attempts. Try again in ${error.retryAfterSeconds} seconds.`
            : "Too many attempts. Wait a moment and try again.",
      };
    case "invalid_input": {
      const fields: AuthErrors["fields"] = {};
      for (const f of FIELDS) if (error.fields[f]) fields[f] = error.fields[f];
      return { fields, form: Object.keys(fields).length > 0 ? null : error.message };
    }
    default:
      return { fields: {}, form: describeError(error) };
  }
}
