/**
 * The service worker (public/sw.js) makes the app installable and shows Web Push notifications.
 * Registered at the site root so its scope is the whole app.
 */
export function registerServiceWorker(): void {
  if (!("serviceWorker" in navigator)) return;
  void navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
    // Not a secure context (plain http on another host): no install, no push; the app works as before.
  });
}

export async function serviceWorkerRegistration(): Promise<ServiceWorkerRegistration | undefined> {
  if (!("serviceWorker" in navigator)) return undefined;
  try {
    return (await navigator.serviceWorker.getRegistration("/")) ?? undefined;
  } catch {
    return undefined;
  }
}

/** What a click on a notification asks the page to open (sent by sw.js, or from a page notification). */
export interface OpenChatRequest {
  type: "open-chat";
  chatId: string;
  messageId?: string;
}

export function isOpenChatRequest(data: unknown): data is OpenChatRequest {
  return (
    typeof data === "object" &&
    data !== null &&
    (data as { type?: unknown }).type === "open-chat" &&
    typeof (data as { chatId?: unknown }).chatId === "string"
  );
}
