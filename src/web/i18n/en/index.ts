import { common } from "./common.js";
import { outbox } from "./outbox.js";

/** The English catalogue is the reference: its keys are the type every other language must match. */
export const en = {
  ...common,
  ...outbox,
} as const;
