import { useId, useMemo, useState } from "react";
import type { Chat } from "../../../protocol/index.js";
import { PlusIcon, SearchIcon, UsersIcon } from "../../app/icons.js";
import type { MessengerState } from "../../app/state.js";
import { useT } from "../../i18n/index.js";
import { filterChats, splitRequests } from "../../lib/chats.js";
import { PendingInvitations } from "../account/PendingInvitations.js";
import { peerOf } from "../blocking/blocks.js";
import { typingLabel } from "../presence/labels.js";
import { MessageSearch } from "../search/MessageSearch.js";
import { ChatListItem } from "./ChatListItem.js";

interface Props {
  state: Pick<MessengerState, "chats" | "chatsStatus" | "openChatId" | "me"> &
    Partial<Pick<MessengerState, "typing">>;
  onNewChat: () => void;
  onNewGroup: () => void;
  onClear: (chat: Chat) => void;
  onRemove: (chat: Chat) => void;
  /** Ids of the people I block (direct chats' menus offer "Unblock" for them). */
  blockedIds: ReadonlySet<string>;
  onToggleBlock: (chat: Chat) => void;
}

/** Search, the "New chat" and "New group" buttons and the list of chats (most recent first). */
export function Sidebar({
  state,
  onNewChat,
  onNewGroup,
  onClear,
  onRemove,
  blockedIds,
  onToggleBlock,
}: Props) {
  const t = useT();
  const [query, setQuery] = useState("");
  const id = useId();
  const busy = state.chatsStatus === "loading";
  const visible = useMemo(() => filterChats(state.chats, query), [state.chats, query]);
  const { requests, others } = useMemo(() => splitRequests(visible), [visible]);
  const item = (chat: Chat) => (
    <ChatListItem
      key={chat.id}
      chat={chat}
      active={chat.id === state.openChatId}
      myId={state.me.id}
      onClear={onClear}
      onRemove={onRemove}
      blocked={blockedIds.has(peerOf(chat, state.me.id)?.id ?? "")}
      onToggleBlock={onToggleBlock}
      typing={state.typing ? typingLabel(chat, state.typing, state.me.id, Date.now()) : null}
    />
  );

  return (
    <aside className="sidebar panel" aria-label={t("chats.sidebar")}>
      <div className="sidebar-tools">
        <div className="search">
          <SearchIcon />
          <label htmlFor={`${id}-search`} className="visually-hidden">
            {t("chats.search")}
          </label>
          <input
            id={`${id}-search`}
            type="search"
            placeholder={t("chats.search")}
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
          />
        </div>
        <MessageSearch chats={state.chats} myId={state.me.id} hotkeys />
        <div className="sidebar-buttons">
          <button type="button" className="primary-button new-chat-button" onClick={onNewChat}>
            <PlusIcon />
            <span>{t("chats.newChat")}</span>
          </button>
          <button type="button" className="ghost-button new-group-button" onClick={onNewGroup}>
            <UsersIcon />
            <span>{t("chats.newGroup")}</span>
          </button>
        </div>
      </div>
      {state.chatsStatus === "ready" && visible.length === 0 ? (
        <p className="sidebar-empty">{query ? t("chats.noMatch") : t("chats.empty")}</p>
      ) : null}
      {state.chatsStatus === "error" ? <p className="sidebar-empty">{t("chats.loadFailed")}</p> : null}
      {requests.length > 0 ? (
        <section className="chat-requests" aria-labelledby={`${id}-requests`}>
          <h2 className="chat-section-title" id={`${id}-requests`}>
            {t("blocking.requests")}
          </h2>
          {/* biome-ignore lint/a11y/noRedundantRoles: Safari drops list semantics from ul with list-style: none */}
          <ul className="chat-list request-list" role="list" aria-label={t("blocking.requests")}>
            {requests.map(item)}
          </ul>
        </section>
      ) : null}
      {/* biome-ignore lint/a11y/noRedundantRoles: Safari drops list semantics from ul with list-style: none */}
      <ul className="chat-list" role="list" aria-label={t("chats.list")} aria-busy={busy}>
        {others.map(item)}
      </ul>
      <PendingInvitations chatCount={state.chats.length} />
    </aside>
  );
}
