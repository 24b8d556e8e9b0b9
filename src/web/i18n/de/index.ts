import type { Translation } from "../catalogue.js";
import { common } from "./common.js";
import { outbox } from "./outbox.js";

export const de: Translation = {
  ...common,
  ...outbox,
};
