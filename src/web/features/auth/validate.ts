import { fieldErrors, loginBodySchema, registerBodySchema } from "../../../protocol/schemas.js";
import { type AuthErrors, fieldMessages } from "./auth-errors.js";

export type AuthMode = "login" | "signup";
export interface AuthValues {
  email: string;
  username: string;
  password: string;
}

/** Checks the form with the protocol's own schemas, so client and server agree on every rule. */
export function validateAuth(mode: AuthMode, values: AuthValues): AuthErrors | null {
  const result =
    mode === "signup"
      ? registerBodySchema.safeParse(values)
      : loginBodySchema.safeParse({ email: values.email, password: values.password });
  if (result.success) return null;
  return { fields: fieldMessages(fieldErrors(result.error)), form: null };
}
