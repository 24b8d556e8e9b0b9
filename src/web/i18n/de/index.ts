import type { Translation } from "../catalogue.js";
import { common } from "./common.js";

export const de: Translation = {
  ...common,
};
