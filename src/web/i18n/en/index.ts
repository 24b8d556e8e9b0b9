import { account } from "./account.js";
import { common } from "./common.js";

/** The English catalogue is the reference: its keys are the type every other language must match. */
export const en = {
  ...common,
  ...account,
} as const;
