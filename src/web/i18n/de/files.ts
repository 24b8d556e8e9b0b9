import type { Translation } from "../catalogue.js";

export const files: Translation<"files."> = {
  "files.attach": "Dateien anhängen",
  "files.dropHere": "Dateien hier ablegen, um sie anzuhängen",
  "files.metadataNote":
    "Fotos werden ohne Standort und Kameradaten gesendet (HEIC-Fotos kommen als Download an).",
  "files.uploading": "{name} wird hochgeladen",
  "files.cancel": "Hochladen von {name} abbrechen",
  "files.remove": "{name} entfernen",
  "files.retry": "Erneut versuchen",
  "files.failed": "{name} konnte nicht hochgeladen werden: {reason}",
  "files.tooLarge": "Die Datei ist zu groß.",
  "files.quota": "Dein Speicher ist voll; lösche zuerst ein paar Nachrichten mit Dateien.",
  "files.rateLimited":
    "Du hast in der letzten Stunde viel hochgeladen; warte eine Weile und versuch es dann noch einmal.",
  "files.unsafePhoto":
    "Standort und Kameradaten ließen sich nicht entfernen; speichere es als JPEG und sende das.",
  "files.network": "Die Verbindung ist abgebrochen.",
  "files.otherError": "Der Server hat sie abgelehnt.",
  "files.ready": "{name} ist bereit zum Senden",
  "files.download": "{name} herunterladen",
  "files.open": "{name} öffnen",
  "files.viewer": "Fotoansicht",
  "files.previous": "Vorheriges Foto",
  "files.next": "Nächstes Foto",
  "files.close": "Ansicht schließen",
  "files.position": "{index} von {count}",
  "files.sizeB": "{size} B",
  "files.sizeKB": "{size} KB",
  "files.sizeMB": "{size} MB",
  "files.sizeGB": "{size} GB",
  "files.caption": "Bildunterschrift hinzufügen…",
  "files.attached": { one: "{count} Datei angehängt", other: "{count} Dateien angehängt" },
};
