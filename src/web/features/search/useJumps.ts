import { useEffect, useSyncExternalStore } from "react";
import type { Messenger } from "../../app/messenger.js";
import type { ChatHistory } from "../../app/state.js";
import { jumpRequests } from "./jump-requests.js";

/**
 * Carries out the jumps asked for this chat (a search result, a date): once the chat's first page
 * is in (so the newest page cannot land on top of it), the window is replaced by the page around
 * the target and `show` scrolls to it and highlights it; `missing` when it is gone.
 */
export function useJumps(
  chatId: string,
  history: ChatHistory | undefined,
  messenger: Messenger,
  show: (messageId: string) => void,
  missing: () => void,
): void {
  const request = useSyncExternalStore(jumpRequests.subscribe, jumpRequests.get);
  const settled = history !== undefined && history.loading === "none";
  useEffect(() => {
    if (!request || request.chatId !== chatId || !settled) return;
    jumpRequests.set((r) => (r === request ? null : r));
    void messenger.openAround(chatId, request.target).then((id) => {
      if (id) show(id);
      else if ("messageId" in request.target) missing();
    });
  }, [request, chatId, settled, messenger, show, missing]);
}
