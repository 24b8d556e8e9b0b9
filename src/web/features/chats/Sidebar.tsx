import { useId, useMemo, useState } from "react";
import type { Chat } from "../../../protocol/index.js";
import { PlusIcon, SearchIcon, UsersIcon } from "../../app/icons.js";
import type { MessengerState } from "../../app/state.js";
import { filterChats } from "../../lib/chats.js";
import { typingLabel } from "../presence/labels.js";
import { ChatListItem } from "./ChatListItem.js";

interface Props {
  state: Pick<MessengerState, "chats" | "chatsStatus" | "openChatId" | "me"> &
    Partial<Pick<MessengerState, "typing">>;
  onNewChat: () => void;
  onNewGroup: () => void;
  onClear: (chat: Chat) => void;
  onRemove: (chat: Chat) => void;
}

/** Search, the "New chat" and "New group" buttons and the list of chats (most recent first). */
export function Sidebar({ state, onNewChat, onNewGroup, onClear, onRemove }: Props) {
  const [query, setQuery] = useState("");
  const id = useId();
  const visible = useMemo(() => filterChats(state.chats, query), [state.chats, query]);

  return (
    <aside className="sidebar panel" aria-label="Conversations">
      <div className="sidebar-tools">
        <div className="search">
          <SearchIcon />
          <label htmlFor={`${id}-search`} className="visually-hidden">
            Search chats
          </label>
          <input
            id={`${id}-search`}
            type="search"
            placeholder="Search chats"
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
          />
        </div>
        <div className="sidebar-buttons">
          <button type="button" className="primary-button new-chat-button" onClick={onNewChat}>
            <PlusIcon />
            <span>New chat</span>
          </button>
          <button type="button" className="ghost-button new-group-button" onClick={onNewGroup}>
            <UsersIcon />
            <span>New group</span>
          </button>
        </div>
      </div>
      {state.chatsStatus === "ready" && visible.length === 0 ? (
        <p className="sidebar-empty">
          {query ? "No chat matches your search." : "No chats yet. Start one with “New chat”."}
        </p>
      ) : null}
      {state.chatsStatus === "error" ? <p className="sidebar-empty">Could not load your chats.</p> : null}
      {/* biome-ignore lint/a11y/noRedundantRoles: Safari drops list semantics from ul with list-style: none */}
      <ul className="chat-list" role="list" aria-label="Chats" aria-busy={state.chatsStatus === "loading"}>
        {visible.map((chat) => (
          <ChatListItem
            key={chat.id}
            chat={chat}
            active={chat.id === state.openChatId}
            myId={state.me.id}
            onClear={onClear}
            onRemove={onRemove}
            typing={state.typing ? typingLabel(chat, state.typing, state.me.id, Date.now()) : null}
          />
        ))}
      </ul>
    </aside>
  );
}
