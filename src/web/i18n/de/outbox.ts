import type { Translation } from "../catalogue.js";

export const outbox: Translation<"outbox."> = {
  "outbox.queued": "In Warteschlange",
  "outbox.queuedHint": "Wartet auf die Verbindung: wird von selbst gesendet, sobald du wieder online bist.",
};
