/** Mail texts in English, the reference: every other language has exactly these keys (a test checks). */
export const en = {
  "footer.why": "You get this mail because of your account on Glasschat at {site}.",
  "footer.ignore": "If this was not you, you can ignore this mail.",
  "reset.subject": "Reset your Glasschat password",
  "reset.greeting": "Hello {username},",
  "reset.intro": "Someone asked to reset the password of your Glasschat account. Choose a new one here:",
  "reset.action": "Choose a new password",
  "reset.expiry":
    "The link works once, within one hour. Every device signed in to your account is signed out.",
  "invite.subject": "{inviter} invited you to Glasschat",
  "invite.intro": "{inviter} would like to chat with you on Glasschat, a private messenger.",
  "invite.action": "Accept the invitation",
  "invite.expiry": "The link works once, within 7 days. Signing up takes a minute.",
  "invite.admin": "You are invited to create an account on Glasschat, a private messenger.",
  "unread.subject": {
    one: "An unread chat on Glasschat",
    other: "{count} chats with unread messages on Glasschat",
  },
  "unread.greeting": "Hello {username},",
  "unread.intro": "While you were away, messages arrived for you:",
  "unread.chat": { one: "{title}: {count} unread message", other: "{title}: {count} unread messages" },
  "unread.action": "Open Glasschat",
  "unread.unsubscribe": "Stop these mails",
  "unread.why":
    "You get at most one of these mails an hour while you are not online. Turn them off with the link below or in Settings.",
} as const;
