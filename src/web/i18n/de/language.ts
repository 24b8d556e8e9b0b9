import type { Translation } from "../catalogue.js";

export const language: Translation<"language."> = {
  "language.title": "Sprache",
  "language.description": "Glasschat nutzt die Sprache deines Browsers, bis du hier eine auswählst.",
  "language.label": "Sprache",
};
