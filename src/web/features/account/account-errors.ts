import { ApiError } from "../../api/http.js";
import { describeError } from "../../app/errors.js";
import { t } from "../../i18n/index.js";

/** The message for a failed link (410) or any other failure. */
export function linkErrorMessage(error: unknown): string {
  if (error instanceof ApiError && error.code === "token_invalid") return t("account.link.invalid");
  return describeError(error);
}
