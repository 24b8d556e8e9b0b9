import type { Translation } from "../catalogue.js";
import { common } from "./common.js";
import { presence } from "./presence.js";
import { settings } from "./settings.js";

export const de: Translation = {
  ...common,
  ...presence,
  ...settings,
};
