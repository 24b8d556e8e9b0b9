import type { Translation } from "../catalogue.js";
import { blocking } from "./blocking.js";
import { common } from "./common.js";

export const de: Translation = {
  ...common,
  ...blocking,
};
