import { common } from "./common.js";
import { search } from "./search.js";

/** The English catalogue is the reference: its keys are the type every other language must match. */
export const en = {
  ...common,
  ...search,
} as const;
