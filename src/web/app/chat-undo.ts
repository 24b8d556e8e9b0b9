import { useCallback, useMemo, useRef, useState } from "react";
import type { Chat } from "../../protocol/index.js";
import { useT } from "../i18n/index.js";
import { describeError } from "./errors.js";
import type { Messenger } from "./messenger.js";
import { chatHref, navigateToChat } from "./route.js";
import type { ChatHistory } from "./state.js";
import { useUndoQueue } from "./undo.js";

const without = (set: ReadonlySet<string>, id: string) => new Set([...set].filter((x) => x !== id));
const focusLater = (selector: string) =>
  setTimeout(() => document.querySelector<HTMLElement>(selector)?.focus());

/**
 * "Remove chat" and "Clear for me" with an undo offer: the chat disappears (or empties) here at
 * once, the server is asked when the offer expires, and "Undo" just shows it again.
 */
export function useChatUndo(messenger: Messenger, openChatId: string | null, onError: (m: string) => void) {
  const t = useT();
  const queue = useUndoQueue();
  const [removed, setRemoved] = useState<ReadonlySet<string>>(new Set());
  const [cleared, setCleared] = useState<ReadonlySet<string>>(new Set());
  const openRef = useRef(openChatId);
  openRef.current = openChatId;
  const report = (error: unknown) => onError(describeError(error));
  const reportRef = useRef(report);
  reportRef.current = report;

  const { offer } = queue;
  const removeChat = useCallback(
    (chat: Chat) => {
      const wasOpen = openRef.current === chat.id;
      setRemoved((s) => new Set(s).add(chat.id));
      if (wasOpen) navigateToChat(null);
      const message =
        chat.kind === "group"
          ? t("polish.removedGroup", { title: chat.title })
          : t("polish.removed", { title: chat.title });
      const id = offer(
        message,
        () => {
          // The focused "Undo" is about to go: the list's first control takes over.
          if (document.activeElement?.closest(".toasts")) focusLater(".new-chat-button");
          messenger
            .removeChat(chat.id)
            .catch((error: unknown) => reportRef.current(error))
            .finally(() => setRemoved((s) => without(s, chat.id)));
        },
        () => {
          setRemoved((s) => without(s, chat.id));
          if (wasOpen) navigateToChat(chat.id);
          else focusLater(`.chat-link[href="${chatHref(chat.id)}"]`);
        },
      );
      // The menu that opened this is gone with its row: "Undo" is where the keyboard goes.
      focusLater(`[data-undo-id="${id}"] .toast-undo`);
    },
    [messenger, offer, t],
  );

  const clearForMe = useCallback(
    (chat: Chat) => {
      setCleared((s) => new Set(s).add(chat.id));
      const message =
        chat.kind === "group"
          ? t("polish.clearedGroup", { title: chat.title })
          : t("polish.cleared", { title: chat.title });
      offer(
        message,
        () => {
          messenger
            .clearChat(chat.id, false)
            .catch((error: unknown) => reportRef.current(error))
            .finally(() => setCleared((s) => without(s, chat.id)));
        },
        () => setCleared((s) => without(s, chat.id)),
      );
    },
    [messenger, offer, t],
  );

  /** The chats as the user should see them while offers are pending. */
  const viewChats = useCallback(
    (chats: Chat[]): Chat[] =>
      removed.size === 0 && cleared.size === 0
        ? chats
        : chats
            .filter((c) => !removed.has(c.id))
            .map((c) => (cleared.has(c.id) ? { ...c, lastMessage: null, unread: 0 } : c)),
    [removed, cleared],
  );
  const viewHistory = useCallback(
    (chatId: string, history: ChatHistory | undefined) =>
      history && cleared.has(chatId) ? { ...history, items: [], hasOlder: false } : history,
    [cleared],
  );

  return useMemo(
    () => ({
      pending: queue.pending,
      undo: queue.undo,
      flush: queue.flush,
      removeChat,
      clearForMe,
      viewChats,
      viewHistory,
    }),
    [queue.pending, queue.undo, queue.flush, removeChat, clearForMe, viewChats, viewHistory],
  );
}
