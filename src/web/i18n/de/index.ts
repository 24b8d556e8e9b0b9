import type { Translation } from "../catalogue.js";
import { account } from "./account.js";
import { common } from "./common.js";

export const de: Translation = {
  ...common,
  ...account,
};
