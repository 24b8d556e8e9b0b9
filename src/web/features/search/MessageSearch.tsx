import { useEffect, useId, useMemo, useRef } from "react";
import type { Chat, SearchResult } from "../../../protocol/index.js";
import { ApiError } from "../../api/http.js";
import { describeError } from "../../app/errors.js";
import { SearchIcon } from "../../app/icons.js";
import { navigateToChat } from "../../app/route.js";
import { currentLocale, t, useT } from "../../i18n/index.js";
import { Highlighted } from "./Highlighted.js";
import { requestJump } from "./jump-requests.js";
import { snippet } from "./snippet.js";
import { useMessageSearch } from "./useMessageSearch.js";
import "./search.css";

/** A refused search says when it is asked again by itself (useMessageSearch retries then). */
function failureText(failure: unknown): string {
  if (failure instanceof ApiError && failure.code === "rate_limited")
    return t("search.rateLimitedIn", { count: failure.retryAfterSeconds ?? 1 });
  return failure instanceof ApiError ? describeError(failure) : t("search.failed");
}

interface Props {
  chats: readonly Chat[];
  myId: string;
  /** Search only this chat (the chat header's search); otherwise every chat, grouped. */
  chatId?: string;
  /** Ctrl+K (⌘K) or / anywhere focuses this box (the sidebar's). */
  hotkeys?: boolean;
  autoFocus?: boolean;
}

/** Opens the chat at the result's message and highlights it there. */
function open(result: SearchResult): void {
  requestJump(result.message.chatId, { messageId: result.message.id });
  navigateToChat(result.message.chatId);
}

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
  );
}

/** "Search messages": results grouped by chat, with sender, date and the matching words marked. */
export function MessageSearch({ chats, myId, chatId, hotkeys = false, autoFocus = false }: Props) {
  const t = useT();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLElement>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  const { query, setQuery, results, status, failure, hasMore, loadMore } = useMessageSearch(chatId);

  useEffect(() => {
    if (!hotkeys) return;
    const onKey = (event: KeyboardEvent) => {
      const ctrlK = event.key.toLowerCase() === "k" && (event.ctrlKey || event.metaKey) && !event.altKey;
      const slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !isTyping(event.target);
      if (!ctrlK && !slash) return;
      event.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [hotkeys]);

  // More results when the end of the list comes into view.
  useEffect(() => {
    const target = sentinel.current;
    if (!target || !hasMore || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) loadMore();
      },
      { root: list.current },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [hasMore, loadMore]);

  const groups = useMemo(() => {
    const byChat = new Map<string, SearchResult[]>();
    for (const result of results) {
      const group = byChat.get(result.message.chatId) ?? [];
      group.push(result);
      byChat.set(result.message.chatId, group);
    }
    return [...byChat.entries()];
  }, [results]);

  const when = useMemo(
    () => new Intl.DateTimeFormat(currentLocale(), { dateStyle: "medium", timeStyle: "short" }),
    [],
  );
  const statusText =
    status === "searching"
      ? t("search.searching")
      : status === "error"
        ? failureText(failure)
        : results.length === 0
          ? t("search.none")
          : t("search.count", { count: results.length });

  return (
    <div className="message-search">
      <div className="search">
        <SearchIcon />
        <label htmlFor={`${id}-q`} className="visually-hidden">
          {chatId ? t("search.inChatLabel") : t("search.label")}
        </label>
        <input
          ref={input}
          id={`${id}-q`}
          type="search"
          className="message-search-input"
          placeholder={chatId ? t("search.inChatPlaceholder") : t("search.placeholder")}
          maxLength={200}
          value={query}
          // biome-ignore lint/a11y/noAutofocus: opened on purpose from the chat header's search button
          autoFocus={autoFocus}
          onChange={(e) => setQuery(e.currentTarget.value)}
          onKeyDown={(e) => {
            const first = results[0];
            if (e.key === "Enter" && first) {
              e.preventDefault();
              open(first);
            } else if (e.key === "ArrowDown") {
              e.preventDefault();
              list.current?.querySelector<HTMLButtonElement>(".search-result")?.focus();
            } else if (e.key === "Escape") setQuery("");
          }}
        />
      </div>
      {status !== "idle" ? (
        <section ref={list} className="search-results" aria-label={t("search.results")}>
          <p className="search-status" aria-live="polite">
            {statusText}
          </p>
          {groups.map(([groupChatId, group]) => (
            <section key={groupChatId} className="search-group">
              {chatId ? null : (
                <h3 className="search-chat" dir="auto">
                  {chats.find((c) => c.id === groupChatId)?.title ?? t("search.removedChat")}
                </h3>
              )}
              {/* biome-ignore lint/a11y/noRedundantRoles: Safari drops list semantics from ul with list-style: none */}
              <ul role="list">
                {group.map((result) => {
                  const cut = snippet(result.message.body, result.highlights);
                  return (
                    <li key={result.message.id}>
                      <button type="button" className="search-result" onClick={() => open(result)}>
                        <span className="search-result-meta">
                          <span className="search-sender" dir="auto">
                            {result.message.sender.id === myId
                              ? t("search.you")
                              : result.message.sender.username}
                          </span>
                          <time dateTime={result.message.createdAt}>
                            {when.format(new Date(result.message.createdAt))}
                          </time>
                        </span>
                        <span className="search-result-text" dir="auto">
                          <Highlighted text={cut.text} ranges={cut.ranges} />
                        </span>
                      </button>
                    </li>
                  );
                })}
              </ul>
            </section>
          ))}
          {status === "more" ? <p className="search-status">{t("search.loadingMore")}</p> : null}
          {hasMore ? <div ref={sentinel} className="search-sentinel" /> : null}
        </section>
      ) : null}
    </div>
  );
}
