import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import type { Chat } from "../../protocol/index.js";
import { blockUser, peerOf, unblockUser, useBlocks } from "../features/blocking/blocks.js";
import { ChatMenu } from "../features/chats/ChatMenu.js";
import { ClearChatDialog } from "../features/chats/ClearChatDialog.js";
import { MembersPanel } from "../features/chats/MembersPanel.js";
import { NewChatDialog } from "../features/chats/NewChatDialog.js";
import { NewGroupDialog } from "../features/chats/NewGroupDialog.js";
import { Sidebar } from "../features/chats/Sidebar.js";
import { useInsightsRoute } from "../features/insights/route.js";
import { MessagePane } from "../features/messages/MessagePane.js";
import { useSettingsRoute } from "../features/settings/route.js";
import { useT } from "../i18n/index.js";
import { documentTitle, totalUnread } from "../lib/chats.js";
import { ConnectionBanner } from "./ConnectionBanner.js";
import { useChatUndo } from "./chat-undo.js";
import { describeError } from "./errors.js";
import { Header } from "./Header.js";
import type { Messenger } from "./messenger.js";
import { navigateToChat, useRouteChatId } from "./route.js";
import { UndoToasts } from "./UndoToasts.js";
import { UpdateBanner } from "./UpdateBanner.js";
import { useStore } from "./useStore.js";

// Loaded when first opened, with its chart library: the chat screen's first paint stays lean.
const InsightsPage = lazy(() => import("../features/insights/InsightsPage.js"));
const SettingsPage = lazy(() => import("../features/settings/SettingsPage.js"));

type Modal = { kind: "new" } | { kind: "group" } | { kind: "members" } | { kind: "clear"; chat: Chat } | null;

/** Header, sidebar and conversation; on phones either the list or the conversation shows. */
export function ChatScreen({ messenger }: { messenger: Messenger }) {
  const t = useT();
  const state = useStore(messenger.store, (s) => s);
  const routeChatId = useRouteChatId();
  const showInsights = useInsightsRoute();
  const showSettings = useSettingsRoute();
  const [modal, setModal] = useState<Modal>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => messenger.openChat(routeChatId), [messenger, routeChatId]);

  const unread = totalUnread(state.chats);
  useEffect(() => {
    document.title = documentTitle(unread);
    return () => {
      document.title = documentTitle(0); // signed out: no stale count in the tab
    };
  }, [unread]);

  // Remove and "Clear for me" wait for an undo offer to expire; the view shows them at once.
  const undo = useChatUndo(messenger, state.openChatId, setNotice);
  const { removeChat, viewChats, viewHistory } = undo;
  const chats = useMemo(() => viewChats(state.chats), [viewChats, state.chats]);
  const view = useMemo(() => ({ ...state, chats }), [state, chats]);
  // Stable callbacks, so memoised list rows re-render only when their chat changes.
  const clearChat = useCallback((chat: Chat) => setModal({ kind: "clear", chat }), []);
  const blocks = useBlocks();
  const blockedIds = useMemo(() => new Set(blocks.users.map((u) => u.id)), [blocks.users]);
  const toggleBlock = useCallback(
    (chat: Chat) => {
      const peer = peerOf(chat, state.me.id);
      if (!peer) return;
      setNotice(null);
      (blockedIds.has(peer.id) ? unblockUser(peer.id) : blockUser(peer)).catch((error: unknown) =>
        setNotice(describeError(error)),
      );
    },
    [blockedIds, state.me.id],
  );

  const openChat = state.openChatId ? chats.find((c) => c.id === state.openChatId) : undefined;

  // Signed in (or reloaded) on the list: the first useful control has the focus, not the page.
  useEffect(() => {
    if (!document.activeElement || document.activeElement === document.body)
      document.querySelector<HTMLElement>(".new-chat-button")?.focus({ preventScroll: true });
  }, []);

  return (
    <div className="app-shell" data-view={!showInsights && state.openChatId ? "detail" : "list"}>
      <Header
        me={state.me}
        onLogout={() => {
          undo.flush();
          void messenger.logout();
        }}
        page={showInsights ? "insights" : showSettings ? "settings" : "chats"}
      />
      <UpdateBanner show={state.newVersion} />
      <ConnectionBanner connection={state.connection} hasDropped={state.hasDropped} />
      {notice ? (
        <p className="notice" role="alert">
          {notice}
        </p>
      ) : null}
      {showInsights ? (
        <Suspense fallback={<div className="splash" aria-busy="true" />}>
          <InsightsPage chats={state.chats} />
        </Suspense>
      ) : showSettings ? (
        <Suspense fallback={<div className="splash" aria-busy="true" />}>
          <SettingsPage
            me={state.me}
            updateSettings={messenger.updateSettings}
            onUserChange={(user) =>
              messenger.store.set((s) => ({ ...s, me: { ...s.me, settings: user.settings } }))
            }
            onDeleted={() => void messenger.logout()}
          />
        </Suspense>
      ) : (
        <main className="chat-layout" data-view={state.openChatId ? "detail" : "list"}>
          <h1 className="visually-hidden">{t("app.nav.chats")}</h1>
          <Sidebar
            state={view}
            onNewChat={() => setModal({ kind: "new" })}
            onNewGroup={() => setModal({ kind: "group" })}
            onClear={clearChat}
            onRemove={removeChat}
            blockedIds={blockedIds}
            onToggleBlock={toggleBlock}
          />
          {state.openChatId ? (
            <MessagePane
              key={state.openChatId}
              chatId={state.openChatId}
              chat={openChat}
              history={viewHistory(state.openChatId, state.histories[state.openChatId])}
              myId={state.me.id}
              names={state.names}
              messenger={messenger}
              onShowMembers={() => setModal({ kind: "members" })}
              typing={state.typing}
              shareReceipts={state.me.settings?.shareReadReceipts}
              menu={
                openChat ? (
                  <ChatMenu
                    chatTitle={openChat.title}
                    onClear={() => clearChat(openChat)}
                    onRemove={() => removeChat(openChat)}
                    blocking={
                      openChat.kind === "direct"
                        ? {
                            blocked: blockedIds.has(peerOf(openChat, state.me.id)?.id ?? ""),
                            onToggle: () => toggleBlock(openChat),
                          }
                        : undefined
                    }
                  />
                ) : null
              }
            />
          ) : (
            <section className="conversation panel conversation-empty" aria-label={t("app.noChat.label")}>
              <p>{t("app.noChat.text")}</p>
            </section>
          )}
        </main>
      )}
      {modal?.kind === "new" ? (
        <NewChatDialog
          me={state.me}
          createChat={messenger.createChat}
          onCreated={(chat) => {
            setModal(null);
            navigateToChat(chat.id);
          }}
          onClose={() => setModal(null)}
        />
      ) : null}
      {modal?.kind === "group" ? (
        <NewGroupDialog
          me={state.me}
          createGroup={messenger.createGroup}
          onCreated={(chat) => {
            setModal(null);
            navigateToChat(chat.id);
          }}
          onClose={() => setModal(null)}
        />
      ) : null}
      {modal?.kind === "members" && openChat?.kind === "group" ? (
        <MembersPanel
          chat={openChat}
          myId={state.me.id}
          renameGroup={messenger.renameGroup}
          addMember={messenger.addMember}
          changeRole={messenger.changeRole}
          removeMember={messenger.removeMember}
          onLeft={() => {
            setModal(null);
            navigateToChat(null);
          }}
          onClose={() => setModal(null)}
        />
      ) : null}
      {modal?.kind === "clear" ? (
        <ClearChatDialog
          chat={modal.chat}
          myId={state.me.id}
          clearChat={(chatId, forEveryone) => {
            if (forEveryone) return messenger.clearChat(chatId, true);
            undo.clearForMe(modal.chat);
            return Promise.resolve();
          }}
          onClose={() => setModal(null)}
        />
      ) : null}
      <UndoToasts pending={undo.pending} onUndo={undo.undo} />
    </div>
  );
}
