import { common } from "./common.js";
import { presence } from "./presence.js";
import { settings } from "./settings.js";

/** The English catalogue is the reference: its keys are the type every other language must match. */
export const en = {
  ...common,
  ...presence,
  ...settings,
} as const;
