/** Settings → Your data: export and account deletion. */
export const accountData = {
  "accountData.heading": "Your data",
  "accountData.export.label": "Download my data",
  "accountData.export.hint":
    "A ZIP file with your account, your chats and every message you can see, as JSON and as a readable page.",
  "accountData.delete.open": "Delete my account…",
  "accountData.delete.title": "Delete your account?",
  "accountData.delete.warning":
    "This cannot be undone. You are signed out everywhere, and your email and username become free for anyone.",
  "accountData.delete.keep": "Keep my messages (others see them from “deleted-user”)",
  "accountData.delete.erase": "Erase my messages (they show as deleted)",
  "accountData.delete.password": "Your password",
  "accountData.delete.confirm": "Delete my account",
  "accountData.delete.wrongPassword": "That is not your password.",
} as const;
