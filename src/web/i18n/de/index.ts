import type { Translation } from "../catalogue.js";
import { accountData } from "./account-data.js";
import { common } from "./common.js";
import { notifications } from "./notifications.js";

export const de: Translation = {
  ...common,
  ...notifications,
  ...accountData,
};
