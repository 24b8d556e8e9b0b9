import type { Translation } from "../catalogue.js";
import { common } from "./common.js";
import { search } from "./search.js";

export const de: Translation = {
  ...common,
  ...search,
};
