import type { Translation } from "../catalogue.js";

export const app: Translation<"app."> = {
  "app.brandAbout": "Über Glasschat",
  "app.nav.label": "Hauptmenü",
  "app.nav.chats": "Chats",
  "app.nav.insights": "Statistik",
  "app.logout": "Abmelden",
  "app.retry": "Nochmal versuchen",
  "app.connectionLost": "Verbindung unterbrochen – wird wiederhergestellt …",
  "app.update.text": "Eine neue Version ist da —",
  "app.update.reload": "neu laden",
  "app.noChat.label": "Kein Chat ausgewählt",
  "app.noChat.text": "Wähl einen Chat aus oder starte einen neuen.",
  "app.description": "Glasschat — ein privater Messenger in Echtzeit, auf deinem eigenen Server",
};
