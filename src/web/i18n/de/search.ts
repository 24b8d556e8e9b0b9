import type { Translation } from "../catalogue.js";

export const search: Translation<"search."> = {
  "search.label": "Nachrichten durchsuchen",
  "search.placeholder": "Nachrichten durchsuchen (Strg+K)",
  "search.inChatLabel": "In diesem Chat suchen",
  "search.inChatPlaceholder": "In diesem Chat suchen",
  "search.openInChat": "In diesem Chat suchen",
  "search.closeInChat": "Suche schließen",
  "search.results": "Suchergebnisse",
  "search.searching": "Suche läuft …",
  "search.none": "Keine Nachricht passt.",
  "search.loadingMore": "Weitere Ergebnisse werden geladen …",
  "search.failed": "Die Suche ist fehlgeschlagen. Bitte noch einmal versuchen.",
  "search.rateLimitedIn": {
    one: "Zu viele Suchen. Die Suche läuft in {count} Sekunde erneut.",
    other: "Zu viele Suchen. Die Suche läuft in {count} Sekunden erneut.",
  },
  "search.count": { one: "{count} Treffer", other: "{count} Treffer" },
  "search.removedChat": "Ein entfernter Chat",
  "search.you": "Du",
  "search.jumpToDate": "Zu Datum springen",
  "search.dateLabel": "Datum",
  "search.go": "Los",
  "search.notFound": "Diese Nachricht ist nicht mehr verfügbar.",
};
