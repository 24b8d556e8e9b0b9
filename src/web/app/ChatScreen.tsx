import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import type { Chat } from "../../protocol/index.js";
import { blockUser, peerOf, unblockUser, useBlocks } from "../features/blocking/blocks.js";
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
import { describeError } from "./errors.js";
import { Header } from "./Header.js";
import type { Messenger } from "./messenger.js";
import { navigateToChat, useRouteChatId } from "./route.js";
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

  // Stable callbacks, so memoised list rows re-render only when their chat changes.
  const removeChat = useCallback(
    (chat: Chat) => {
      setNotice(null);
      messenger
        .removeChat(chat.id)
        .then(() => {
          if (routeChatId === chat.id) navigateToChat(null);
        })
        .catch((error: unknown) => setNotice(describeError(error)));
    },
    [messenger, routeChatId],
  );
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

  const openChat = state.openChatId ? state.chats.find((c) => c.id === state.openChatId) : undefined;

  return (
    <div className="app-shell">
      <Header
        me={state.me}
        onLogout={() => void messenger.logout()}
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
          <SettingsPage me={state.me} updateSettings={messenger.updateSettings} />
        </Suspense>
      ) : (
        <main className="chat-layout" data-view={state.openChatId ? "detail" : "list"}>
          <Sidebar
            state={state}
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
              history={state.histories[state.openChatId]}
              myId={state.me.id}
              names={state.names}
              messenger={messenger}
              onShowMembers={() => setModal({ kind: "members" })}
              typing={state.typing}
              shareReceipts={state.me.settings?.shareReadReceipts}
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
          clearChat={messenger.clearChat}
          onClose={() => setModal(null)}
        />
      ) : null}
    </div>
  );
}
