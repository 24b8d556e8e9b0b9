/** The account menu on phones, the chat list's link names, undo toasts and confirmations. */
export const polish = {
  "polish.account": "Account",
  "polish.accountFor": "Account: {name}",
  "polish.unread": { one: "{count} unread", other: "{count} unread" },
  "polish.removed": "Chat with {title} removed.",
  "polish.removedGroup": "“{title}” removed from your list.",
  "polish.cleared": "Chat with {title} cleared for you.",
  "polish.clearedGroup": "“{title}” cleared for you.",
  "polish.undo": "Undo",
  "polish.undone": "Undone.",
  "polish.toasts": "Notifications",
  "polish.deleteTitle": "Delete this message for everyone?",
  "polish.deleteText": "It disappears for every member of the chat. This cannot be undone.",
  "polish.deleteConfirm": "Delete for everyone",
} as const;
