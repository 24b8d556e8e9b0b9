import type { Translation } from "../catalogue.js";

export const auth: Translation<"auth."> = {
  "auth.taglineLogin": "Neu hier? Dein Konto ist in Sekunden erstellt.",
  "auth.taglineSignup": "Du hast schon ein Konto?",
  "auth.sub": "Privat, selbst gehostet, in Echtzeit. Deine Nachrichten bleiben auf deinem Server.",
  "auth.login": "Anmelden",
  "auth.signup": "Registrieren",
  "auth.titleLogin": "Willkommen zurück",
  "auth.titleSignup": "Erstell dein Konto",
  "auth.email": "E-Mail",
  "auth.username": "Benutzername",
  "auth.password": "Passwort",
  "auth.usernameHint": "{min}–{max} Buchstaben, Ziffern, _ . -",
  "auth.passwordHint": "Mindestens {min} Zeichen",
  "auth.emailTaken": "Mit dieser E-Mail-Adresse gibt es schon ein Konto. Möchtest du dich anmelden?",
  "auth.usernameTaken": "Dieser Benutzername ist schon vergeben. Probier einen anderen.",
};
