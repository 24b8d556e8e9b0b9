import { accountData } from "./account-data.js";
import { common } from "./common.js";
import { notifications } from "./notifications.js";

/** The English catalogue is the reference: its keys are the type every other language must match. */
export const en = {
  ...common,
  ...notifications,
  ...accountData,
} as const;
