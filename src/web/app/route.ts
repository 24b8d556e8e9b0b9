import { useSyncExternalStore } from "react";

/** The open chat lives in the URL hash (#/chat/<id>): reload keeps it, and Back returns to the list on phones. */
const PREFIX = "#/chat/";

export function chatIdFromHash(hash: string): string | null {
  if (!hash.startsWith(PREFIX)) return null;
  const id = decodeURIComponent(hash.slice(PREFIX.length));
  return id.length > 0 ? id : null;
}

export function chatHref(chatId: string): string {
  return `${PREFIX}${encodeURIComponent(chatId)}`;
}

export function navigateToChat(chatId: string | null): void {
  const target = chatId ? chatHref(chatId) : "#/";
  if (window.location.hash !== target) window.location.hash = target;
}

const subscribe = (listener: () => void) => {
  window.addEventListener("hashchange", listener);
  return () => window.removeEventListener("hashchange", listener);
};

export function useRouteChatId(): string | null {
  return useSyncExternalStore(subscribe, () => chatIdFromHash(window.location.hash));
}

/** True while the hash is exactly `href` (a page route such as #/settings). */
export function useHashIs(href: string): boolean {
  return useSyncExternalStore(subscribe, () => window.location.hash === href);
}
