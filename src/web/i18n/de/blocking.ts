import type { Translation } from "../catalogue.js";

export const blocking: Translation<"blocking."> = {
  "blocking.requests": "Anfragen",
  "blocking.chats": "Chats",
  "blocking.block": "Blockieren",
  "blocking.unblock": "Nicht mehr blockieren",
  "blocking.accept": "Annehmen",
  "blocking.delete": "Löschen",
  "blocking.requestNotice":
    "{name} möchte mit dir chatten. Nimm die Anfrage an, um zu antworten, oder blockiere die Person.",
  "blocking.blockedNotice": "Du hast {name} blockiert. Neue Nachrichten dieser Person erreichen dich nicht.",
  "blocking.blockedPeople": "Blockierte Personen",
  "blocking.blockedHint":
    "Blockierte Personen erreichen dich nicht: Nachrichten, Tippen und Online-Status bleiben aus, in beide Richtungen. Sie werden nicht benachrichtigt.",
  "blocking.noneBlocked": "Du hast niemanden blockiert.",
  "blocking.loadFailed": "Die Liste der blockierten Personen konnte nicht geladen werden.",
  "blocking.unblockNamed": "{name} nicht mehr blockieren",
  "blocking.requestCount": { one: "{count} Anfrage", other: "{count} Anfragen" },
};
