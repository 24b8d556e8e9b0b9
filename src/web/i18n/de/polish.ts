import type { Translation } from "../catalogue.js";

export const polish: Translation<"polish."> = {
  "polish.account": "Konto",
  "polish.accountFor": "Konto: {name}",
  "polish.unread": { one: "{count} ungelesen", other: "{count} ungelesen" },
  "polish.removed": "Chat mit {title} entfernt.",
  "polish.removedGroup": "„{title}“ aus deiner Liste entfernt.",
  "polish.cleared": "Chat mit {title} für dich geleert.",
  "polish.clearedGroup": "„{title}“ für dich geleert.",
  "polish.undo": "Rückgängig",
  "polish.undone": "Rückgängig gemacht.",
  "polish.toasts": "Benachrichtigungen",
  "polish.deleteTitle": "Diese Nachricht für alle löschen?",
  "polish.deleteText":
    "Sie verschwindet für alle Mitglieder des Chats. Das lässt sich nicht rückgängig machen.",
  "polish.deleteConfirm": "Für alle löschen",
};
