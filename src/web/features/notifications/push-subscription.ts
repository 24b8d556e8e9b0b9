import { request } from "../../api/http.js";
import { serviceWorkerRegistration } from "./service-worker.js";

export function pushSupported(): boolean {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

function base64UrlToBytes(value: string): Uint8Array<ArrayBuffer> {
  const base64 = value.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "="));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Whether this browser is subscribed now. */
export async function pushEnabled(): Promise<boolean> {
  const registration = await serviceWorkerRegistration();
  return Boolean(await registration?.pushManager.getSubscription());
}

/**
 * Asks for the browser's permission, subscribes with the server's VAPID key and hands the
 * subscription to the server (it belongs to this session). Resolves false when permission is refused.
 */
export async function enablePush(): Promise<boolean> {
  if ((await Notification.requestPermission()) !== "granted") return false;
  const registration = (await serviceWorkerRegistration()) ?? (await navigator.serviceWorker.ready);
  const { publicKey } = await request<{ publicKey: string }>("GET", "/api/push/key");
  const subscription = await registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: base64UrlToBytes(publicKey),
  });
  await request<void>("POST", "/api/push/subscriptions", subscription.toJSON());
  return true;
}

export async function disablePush(): Promise<void> {
  const registration = await serviceWorkerRegistration();
  const subscription = await registration?.pushManager.getSubscription();
  if (!subscription) return;
  await request<void>("DELETE", "/api/push/subscriptions", { endpoint: subscription.endpoint });
  await subscription.unsubscribe();
}
