import { common } from "./common.js";
import { files } from "./files.js";

/** The English catalogue is the reference: its keys are the type every other language must match. */
export const en = {
  ...common,
  ...files,
} as const;
