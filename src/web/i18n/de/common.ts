import type { Translation } from "../catalogue.js";

export const common: Translation<"common."> = {
  "common.cancel": "Abbrechen",
  "common.close": "Schließen",
  "common.save": "Speichern",
};
