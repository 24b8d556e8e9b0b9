import type { Translation } from "../catalogue.js";
import { common } from "./common.js";
import { files } from "./files.js";

export const de: Translation = {
  ...common,
  ...files,
};
