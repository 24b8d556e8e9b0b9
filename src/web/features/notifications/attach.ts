import { EVENTS } from "../../../protocol/events.js";
import type { Message, User } from "../../../protocol/index.js";
import { navigateToChat } from "../../app/route.js";
import type { ChatSocket } from "../../realtime/socket.js";
import { readPreferences } from "./preferences.js";
import { isOpenChatRequest, serviceWorkerRegistration } from "./service-worker.js";
import { playChime } from "./sound.js";

export interface NotificationHooks {
  socket: ChatSocket;
  me: () => User;
  /** The chat's title as the list shows it, if the list holds it. */
  titleOf: (chatId: string) => string | undefined;
  /** Loads history until the message is held (so opening "at that message" can scroll to it). */
  ensureHeld: (chatId: string, messageId: string) => Promise<boolean>;
}

const PREVIEW_CHARS = 100;

/** Opens a chat and, once its history holds the message, scrolls that message into view. */
export async function openChatAt(
  hooks: NotificationHooks,
  chatId: string,
  messageId?: string,
): Promise<void> {
  window.focus();
  navigateToChat(chatId);
  if (!messageId || !(await hooks.ensureHeld(chatId, messageId).catch(() => false))) return;
  for (let attempt = 0; attempt < 20; attempt++) {
    const row = document.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(messageId)}"]`);
    if (row) {
      row.scrollIntoView({ block: "center" });
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function showDesktopNotification(hooks: NotificationHooks, message: Message): Promise<void> {
  const preferences = readPreferences();
  if (!preferences.desktop || !("Notification" in window) || Notification.permission !== "granted") return;
  const title = hooks.titleOf(message.chatId) ?? message.sender.username;
  const options: NotificationOptions = {
    // The same tag as the Web Push notification of this message: one notification, not two.
    tag: message.id,
    data: { chatId: message.chatId, messageId: message.id },
    icon: "/icons/icon-192.png",
    silent: true,
    ...(hooks.me().settings?.pushPreviews !== false && message.body
      ? { body: Array.from(message.body).slice(0, PREVIEW_CHARS).join("") }
      : {}),
  };
  if (preferences.sound) playChime();
  const registration = await serviceWorkerRegistration();
  if (registration) {
    // Clicks on these reach sw.js, which sends the page an open-chat request.
    await registration.showNotification(title, options).catch(() => {});
    return;
  }
  const notification = new Notification(title, options);
  notification.onclick = () => {
    notification.close();
    void openChatAt(hooks, message.chatId, message.id);
  };
}

/**
 * In-app notifications and the server's view of this tab: tells the server whether the tab is in
 * view (so Web Push stays quiet while it is), shows a desktop notification (and plays a chime) for
 * a message from someone else while the tab is hidden, and opens the chat when a notification is
 * clicked. Returns the function that undoes it all.
 */
export function attachNotifications(hooks: NotificationHooks): () => void {
  const { socket } = hooks;
  const reportVisibility = () => {
    if (socket.connected)
      socket.emit(EVENTS.clientVisibility, { visible: document.visibilityState === "visible" });
  };
  const onMessage = (message: Message) => {
    if (document.visibilityState === "visible" || message.system || message.sender.id === hooks.me().id)
      return;
    void showDesktopNotification(hooks, message);
  };
  const onWorkerMessage = (event: MessageEvent) => {
    if (isOpenChatRequest(event.data)) void openChatAt(hooks, event.data.chatId, event.data.messageId);
  };
  socket.on("connect", reportVisibility);
  socket.on(EVENTS.messageNew, onMessage);
  document.addEventListener("visibilitychange", reportVisibility);
  navigator.serviceWorker?.addEventListener("message", onWorkerMessage);
  // Opened by a notification click while no tab was open: sw.js put the message in the URL.
  const opened = new URLSearchParams(window.location.search).get("message");
  const chatId = new URLSearchParams(window.location.search).get("chat");
  if (chatId) {
    history.replaceState(null, "", `/${window.location.hash}`);
    void openChatAt(hooks, chatId, opened ?? undefined);
  }
  return () => {
    socket.off("connect", reportVisibility);
    socket.off(EVENTS.messageNew, onMessage);
    document.removeEventListener("visibilitychange", reportVisibility);
    navigator.serviceWorker?.removeEventListener("message", onWorkerMessage);
  };
}
