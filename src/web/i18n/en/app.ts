/** The app shell: startup, header, banners and the empty chat screen. */
export const app = {
  "app.brandAbout": "About Glasschat",
  "app.nav.label": "Main",
  "app.nav.chats": "Chats",
  "app.nav.insights": "Insights",
  "app.logout": "Log out",
  "app.retry": "Try again",
  "app.connectionLost": "Connection lost. Reconnecting…",
  "app.update.text": "A new version is available —",
  "app.update.reload": "reload",
  "app.noChat.label": "No chat selected",
  "app.noChat.text": "Select a chat, or start a new one.",
  "app.description": "Glasschat — a self-hosted, private, real-time messenger",
} as const;
