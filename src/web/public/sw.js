// Glasschat's service worker: makes the app installable and shows Web Push notifications.
// Served at /sw.js (scope: the whole app). Plain JavaScript, not bundled: it must keep this URL.
/// <reference lib="webworker" />

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

// The payload (decrypted by the browser, RFC 8291): { chatId, messageId, title, sender, body? }.
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = {};
  }
  const title = data.title || data.sender || "Glasschat";
  event.waitUntil(
    self.registration.showNotification(title, {
      // The page's own notification of the same message uses this tag too: one notification.
      tag: data.messageId,
      body: data.body,
      icon: "/icons/icon-192.png",
      data: { chatId: data.chatId, messageId: data.messageId },
    }),
  );
});

// Opens that chat at that message: in an open tab if there is one, else in a new one.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const { chatId, messageId } = event.notification.data || {};
  if (typeof chatId !== "string") return;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const open = windows[0];
      if (open) {
        await open.focus();
        open.postMessage({ type: "open-chat", chatId, messageId });
        return;
      }
      const query = `?chat=${encodeURIComponent(chatId)}${messageId ? `&message=${encodeURIComponent(messageId)}` : ""}`;
      await self.clients.openWindow(`/${query}#/chat/${encodeURIComponent(chatId)}`);
    })(),
  );
});

// The push service replaced the subscription: hand the new one to the server.
self.addEventListener("pushsubscriptionchange", (event) => {
  event.waitUntil(
    (async () => {
      const reply = await fetch("/api/push/key", { credentials: "same-origin" });
      if (!reply.ok) return;
      const { publicKey } = await reply.json();
      const padded = publicKey.replace(/-/g, "+").replace(/_/g, "/");
      const key = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
      const subscription = await self.registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: key,
      });
      await fetch("/api/push/subscriptions", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(subscription.toJSON()),
      });
    })(),
  );
});
