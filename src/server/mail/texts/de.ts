import type { MailTexts } from "./index.js";

export const de: MailTexts = {
  "footer.why": "Du bekommst diese Mail wegen deines Glasschat-Kontos auf {site}.",
  "footer.ignore": "Wenn du das nicht warst, kannst du diese Mail einfach ignorieren.",
  "reset.subject": "Setze dein Glasschat-Passwort zurück",
  "reset.greeting": "Hallo {username},",
  "reset.intro": "Jemand möchte das Passwort deines Glasschat-Kontos zurücksetzen. Hier wählst du ein neues:",
  "reset.action": "Neues Passwort wählen",
  "reset.expiry":
    "Der Link funktioniert einmal und eine Stunde lang. Danach ist jedes Gerät, das mit deinem Konto angemeldet ist, abgemeldet.",
  "invite.subject": "{inviter} hat dich zu Glasschat eingeladen",
  "invite.intro": "{inviter} möchte mit dir auf Glasschat chatten, einem privaten Messenger.",
  "invite.action": "Einladung annehmen",
  "invite.expiry": "Der Link funktioniert einmal und 7 Tage lang. Die Anmeldung dauert eine Minute.",
  "invite.admin": "Du bist eingeladen, ein Konto auf Glasschat anzulegen, einem privaten Messenger.",
  "unread.subject": {
    one: "Ein ungelesener Chat auf Glasschat",
    other: "{count} Chats mit ungelesenen Nachrichten auf Glasschat",
  },
  "unread.greeting": "Hallo {username},",
  "unread.intro": "Während du weg warst, sind Nachrichten für dich angekommen:",
  "unread.chat": {
    one: "{title}: {count} ungelesene Nachricht",
    other: "{title}: {count} ungelesene Nachrichten",
  },
  "unread.action": "Glasschat öffnen",
  "unread.unsubscribe": "Diese Mails abbestellen",
  "unread.why":
    "Du bekommst höchstens eine solche Mail pro Stunde, solange du nicht online bist. Abbestellen kannst du sie mit dem Link unten oder in den Einstellungen.",
};
