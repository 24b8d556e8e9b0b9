/** The Settings page (privacy section; other sections bring their own files). */
export const settings = {
  "settings.nav": "Settings",
  "settings.title": "Settings",
  "settings.privacy": "Privacy",
  "settings.readReceipts": "Share read receipts",
  "settings.readReceiptsHelp":
    "Others see when you have read their messages. This works both ways: with it off, you don't see theirs either.",
  "settings.lastSeen": "Share last seen",
  "settings.lastSeenHelp":
    "Others see when you are online and when you were last seen. This works both ways: with it off, you don't see theirs either.",
  "settings.saveFailed": "The setting could not be saved. Try again.",
} as const;
