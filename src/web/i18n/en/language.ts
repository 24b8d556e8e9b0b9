/** The language section of the Settings page, and the compact switch on the sign-in screen. */
export const language = {
  "language.title": "Language",
  "language.description": "Glasschat follows your browser's language until you pick one here.",
  "language.label": "Language",
} as const;
