import type { z } from "zod";
import { fieldErrors } from "../../protocol/index.js";
import { AppError } from "../domain/errors.js";

/** Parses a request part with its protocol schema or answers 400 `invalid_input` with per-field reasons. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = fieldErrors(result.error);
  throw new AppError("invalid_input", Object.values(fields)[0] ?? "Invalid input.", fields);
}
