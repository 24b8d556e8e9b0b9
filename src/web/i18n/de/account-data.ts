import type { Translation } from "../catalogue.js";

export const accountData: Translation<"accountData."> = {
  "accountData.heading": "Deine Daten",
  "accountData.export.label": "Meine Daten herunterladen",
  "accountData.export.hint":
    "Eine ZIP-Datei mit deinem Konto, deinen Chats und jeder Nachricht, die du sehen kannst – als JSON und als lesbare Seite.",
  "accountData.delete.open": "Mein Konto löschen …",
  "accountData.delete.title": "Konto wirklich löschen?",
  "accountData.delete.warning":
    "Das lässt sich nicht rückgängig machen. Du wirst überall abgemeldet, und deine E-Mail-Adresse und dein Benutzername werden für andere frei.",
  "accountData.delete.keep": "Meine Nachrichten behalten (andere sehen sie von „deleted-user“)",
  "accountData.delete.erase": "Meine Nachrichten löschen (sie erscheinen als gelöscht)",
  "accountData.delete.password": "Dein Passwort",
  "accountData.delete.confirm": "Mein Konto löschen",
  "accountData.delete.wrongPassword": "Das ist nicht dein Passwort.",
};
