import type { Translation } from "../catalogue.js";

export const settings: Translation<"settings."> = {
  "settings.nav": "Einstellungen",
  "settings.title": "Einstellungen",
  "settings.privacy": "Privatsphäre",
  "settings.readReceipts": "Lesebestätigungen teilen",
  "settings.readReceiptsHelp":
    "Andere sehen, wann du ihre Nachrichten gelesen hast. Das gilt in beide Richtungen: Ist es aus, siehst du ihre auch nicht.",
  "settings.lastSeen": "„Zuletzt online“ teilen",
  "settings.lastSeenHelp":
    "Andere sehen, wann du online bist und wann du zuletzt online warst. Das gilt in beide Richtungen: Ist es aus, siehst du ihres auch nicht.",
  "settings.saveFailed": "Die Einstellung konnte nicht gespeichert werden. Versuch es noch einmal.",
};
