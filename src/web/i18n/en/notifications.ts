/** Settings → Notifications, and the in-app notifications. */
export const notifications = {
  "notifications.heading": "Notifications",
  "notifications.push.label": "Push notifications on this device",
  "notifications.push.hint": "New messages reach this device even when Glasschat is closed.",
  "notifications.push.unsupported": "This browser cannot receive push notifications here.",
  "notifications.push.denied": "Notifications are blocked for this site in the browser's settings.",
  "notifications.previews.label": "Show message text in notifications",
  "notifications.email.label": "Email me about unread messages",
  "notifications.email.hint": "At most one email an hour, only while you are not connected.",
  "notifications.desktop.label": "Desktop notifications while this tab is in the background",
  "notifications.sound.label": "Play a sound with them",
  "notifications.failed": "The setting could not be changed: {reason}",
} as const;
