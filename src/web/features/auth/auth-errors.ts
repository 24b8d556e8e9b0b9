import { ApiError } from "../../api/http.js";
import { describeError, serverText } from "../../app/errors.js";
import { t } from "../../i18n/index.js";

export type AuthField = "email" | "username" | "password";
export interface AuthErrors {
  fields: Partial<Record<AuthField, string>>;
  form: string | null;
}

const FIELDS: readonly AuthField[] = ["email", "username", "password"];

/** The form's field messages (the protocol's validation texts) in the reader's language. */
export function fieldMessages(all: Record<string, string>): AuthErrors["fields"] {
  const fields: AuthErrors["fields"] = {};
  for (const f of FIELDS) if (all[f]) fields[f] = serverText(all[f]);
  return fields;
}

/** Maps the server's error codes to messages next to the field they concern. */
export function authErrorsFrom(error: unknown): AuthErrors {
  if (!(error instanceof ApiError)) return { fields: {}, form: describeError(error) };
  switch (error.code) {
    case "email_taken":
      return { fields: { email: t("auth.emailTaken") }, form: null };
    case "username_taken":
      return { fields: { username: t("auth.usernameTaken") }, form: null };
    case "invalid_credentials":
      return { fields: {}, form: t("errors.code.invalid_credentials") };
    case "rate_limited":
      return { fields: {}, form: describeError(error) };
    case "invalid_input": {
      const fields = fieldMessages(error.fields);
      return { fields, form: Object.keys(fields).length > 0 ? null : describeError(error) };
    }
    default:
      return { fields: {}, form: describeError(error) };
  }
}
