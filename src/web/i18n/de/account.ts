import type { Translation } from "../catalogue.js";

export const account: Translation<"account."> = {
  "account.forgot.link": "Passwort vergessen?",
  "account.forgot.title": "Passwort zurücksetzen",
  "account.forgot.intro":
    "Gib die E-Mail-Adresse deines Kontos ein. Wir schicken dir einen Link, mit dem du ein neues Passwort wählst.",
  "account.forgot.submit": "Link senden",
  "account.forgot.sent":
    "Wenn ein Konto diese E-Mail-Adresse hat, ist ein Link zum Zurücksetzen unterwegs. Er gilt eine Stunde.",
  "account.forgot.back": "Zurück zur Anmeldung",
  "account.email": "E-Mail",
  "account.reset.title": "Neues Passwort wählen",
  "account.reset.password": "Neues Passwort",
  "account.reset.submit": "Neues Passwort setzen",
  "account.reset.done":
    "Dein Passwort ist geändert und alle Geräte wurden abgemeldet. Melde dich mit dem neuen Passwort an.",
  "account.reset.toLogin": "Zur Anmeldung",
  "account.link.invalid":
    "Dieser Link wurde schon benutzt, ist abgelaufen oder wurde widerrufen. Fordere einen neuen an.",
  "account.invite.banner": "Du wurdest eingeladen. Lege dein Konto an und chatte los.",
  "account.invite.button": "Per E-Mail einladen",
  "account.invite.sent":
    "Einladung an {email} verschickt. Sie steht unter „Eingeladen“, bis die Person sich anmeldet.",
  "account.invite.noAccount": "Mit dieser E-Mail-Adresse hat sich noch niemand angemeldet. Einladen?",
  "account.pending.title": "Eingeladen",
  "account.pending.revoke": "Widerrufen",
  "account.pending.revokeLabel": "Einladung an {email} widerrufen",
  "account.pending.expires": "bis {date}",
  "account.unsubscribe.title": "E-Mail-Benachrichtigungen",
  "account.unsubscribe.working": "E-Mail-Benachrichtigungen werden abgeschaltet …",
  "account.unsubscribe.done":
    "Du bekommst keine E-Mails mehr über ungelesene Nachrichten. In den Einstellungen kannst du sie wieder einschalten.",
  "account.unsubscribe.open": "Glasschat öffnen",
  "account.settings.title": "Konto",
  "account.password.title": "Passwort ändern",
  "account.password.current": "Aktuelles Passwort",
  "account.password.new": "Neues Passwort",
  "account.password.submit": "Passwort ändern",
  "account.password.done": "Passwort geändert. Deine anderen Geräte wurden abgemeldet.",
  "account.password.wrong": "Das aktuelle Passwort stimmt nicht.",
  "account.sessions.title": "Angemeldete Geräte",
  "account.sessions.current": "Dieses Gerät",
  "account.sessions.signOut": "Abmelden",
  "account.sessions.signOutLabel": "{device} abmelden",
  "account.sessions.unknownDevice": "Unbekanntes Gerät",
  "account.sessions.lastUsed": "Zuletzt benutzt {date}",
  "account.sessions.empty": "Kein anderes Gerät ist angemeldet.",
  "account.sessions.error": "Deine Geräte konnten nicht geladen werden.",
};
