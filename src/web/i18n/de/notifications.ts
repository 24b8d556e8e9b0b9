import type { Translation } from "../catalogue.js";

export const notifications: Translation<"notifications."> = {
  "notifications.heading": "Benachrichtigungen",
  "notifications.push.label": "Push-Benachrichtigungen auf diesem Gerät",
  "notifications.push.hint":
    "Neue Nachrichten erreichen dieses Gerät auch dann, wenn Glasschat geschlossen ist.",
  "notifications.push.unsupported": "Dieser Browser kann hier keine Push-Benachrichtigungen empfangen.",
  "notifications.push.denied":
    "Benachrichtigungen sind für diese Seite in den Browsereinstellungen blockiert.",
  "notifications.previews.label": "Nachrichtentext in Benachrichtigungen zeigen",
  "notifications.email.label": "Per E-Mail über ungelesene Nachrichten informieren",
  "notifications.email.hint": "Höchstens eine E-Mail pro Stunde und nur, solange du nicht verbunden bist.",
  "notifications.desktop.label": "Desktop-Benachrichtigungen, solange dieser Tab im Hintergrund ist",
  "notifications.sound.label": "Dazu einen Ton abspielen",
  "notifications.failed": "Die Einstellung ließ sich nicht ändern: {reason}",
};
