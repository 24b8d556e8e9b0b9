import { useCallback, useLayoutEffect, useMemo, useRef, useState } from "react";
import { DownIcon } from "../../app/icons.js";
import type { ChatHistory } from "../../app/state.js";
import { useLocale, useT } from "../../i18n/index.js";
import type { NameOf } from "../../lib/conversation.js";
import { withDaySeparators } from "../../lib/days.js";
import { type BubbleActions, MessageBubble } from "./MessageBubble.js";
import { type Anchor, captureAnchor, distanceFromBottom, restoreAnchor } from "./scroll-anchor.js";

interface Props {
  history: ChatHistory;
  myId: string;
  isGroup: boolean;
  moderator: boolean;
  nameOf: NameOf;
  actions: BubbleActions;
  /** Scroll to this message and highlight it (a reply's original); a new token jumps again. */
  jumpTarget: { id: string; token: number } | null;
  onLoadOlder: () => void;
  onLoadNewer: () => void;
  onJumpToLatest: () => void;
}

/** Start fetching the next page when this close (px) to either end. */
const PREFETCH_PX = 400;
/** Within this distance (px) of the bottom the view sticks to new messages. */
const STICK_PX = 48;

/**
 * The history (role=log). Holds only the client's bounded window; scrolling near an end fetches
 * the next page, and the reader's place is kept with a scroll anchor instead of the browser's
 * own scroll anchoring (turned off in CSS), which does not know about prepends from the top.
 */
export function MessageList({
  history,
  myId,
  isGroup,
  moderator,
  nameOf,
  actions,
  jumpTarget,
  onLoadOlder,
  onLoadNewer,
  onJumpToLatest,
}: Props) {
  const t = useT();
  const locale = useLocale();
  const scrollerRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const anchor = useRef<Anchor | null>(null);
  const seen = useRef({ generation: -1, tailKey: "", tailSeq: 0 });
  const [unseen, setUnseen] = useState(false);
  const rows = useMemo(() => withDaySeparators(history.items, new Date(), locale), [history.items, locale]);
  const { hasOlder, hasNewer, loading } = history;

  const remember = useCallback(() => {
    const scroller = scrollerRef.current;
    const content = contentRef.current;
    if (!scroller || !content) return;
    atBottom.current = distanceFromBottom(scroller) < STICK_PX;
    anchor.current = captureAnchor(scroller, content);
  }, []);

  const fetchIfNearEdge = useCallback(() => {
    const scroller = scrollerRef.current;
    if (!scroller || loading !== "none") return;
    if (hasOlder && scroller.scrollTop < PREFETCH_PX) onLoadOlder();
    else if (hasNewer && distanceFromBottom(scroller) < PREFETCH_PX) onLoadNewer();
  }, [hasOlder, hasNewer, loading, onLoadOlder, onLoadNewer]);

  const onScroll = () => {
    remember();
    if (atBottom.current) setUnseen(false);
    fetchIfNearEdge();
  };

  const toBottom = useCallback(() => {
    const scroller = scrollerRef.current;
    if (scroller) scroller.scrollTop = scroller.scrollHeight;
    atBottom.current = true;
  }, []);

  // After each change of the window: jump, stick, or keep the reader's place.
  useLayoutEffect(() => {
    const scroller = scrollerRef.current;
    const content = contentRef.current;
    if (!scroller || !content) return;
    const last = history.items.at(-1);
    const tailKey = last ? `${last.id}:${last.status}` : "";
    const appended =
      !!last &&
      tailKey !== seen.current.tailKey &&
      (last.status !== "sent" || last.seq > seen.current.tailSeq);
    const ownNew =
      appended && last.sender.id === myId && (last.status === "pending" || last.status === "queued");

    if (history.generation !== seen.current.generation || ownNew || (appended && atBottom.current)) {
      toBottom();
      setUnseen(false);
    } else {
      restoreAnchor(scroller, content, anchor.current);
      if (appended && last.sender.id !== myId) setUnseen(true);
    }
    seen.current = {
      generation: history.generation,
      tailKey,
      tailSeq: last?.status === "sent" ? last.seq : seen.current.tailSeq,
    };
    remember();
    fetchIfNearEdge();
  }, [history.generation, history.items, myId, toBottom, remember, fetchIfNearEdge]);

  // Text reflowing (font swap, window or composer resize) must not move the reader either.
  useLayoutEffect(() => {
    const scroller = scrollerRef.current;
    const content = contentRef.current;
    if (!scroller || !content || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      if (atBottom.current) toBottom();
      else restoreAnchor(scroller, content, anchor.current);
    });
    observer.observe(content);
    observer.observe(scroller);
    return () => observer.disconnect();
  }, [toBottom]);

  const [highlighted, setHighlighted] = useState<string | null>(null);
  useLayoutEffect(() => {
    if (!jumpTarget) return;
    const scroller = scrollerRef.current;
    const el = scroller?.querySelector<HTMLElement>(`[data-key="${CSS.escape(jumpTarget.id)}"]`);
    if (!scroller || !el) return;
    scroller.scrollTop = Math.max(0, el.offsetTop - scroller.clientHeight / 3);
    remember();
    setHighlighted(jumpTarget.id);
    el.querySelector<HTMLElement>(".msg-actions-button")?.focus({ preventScroll: true });
    const timer = setTimeout(() => setHighlighted(null), 2_000);
    return () => clearTimeout(timer);
  }, [jumpTarget, remember]);

  const showPill = unseen || hasNewer;
  return (
    <div className="message-area">
      <div
        ref={scrollerRef}
        className="message-scroller"
        role="log"
        aria-label={t("messages.log")}
        aria-busy={loading !== "none"}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
        tabIndex={0}
        onScroll={onScroll}
      >
        <div ref={contentRef} className="message-content">
          {loading === "older" || (loading === "initial" && rows.length === 0) ? (
            <p className="history-note">{t("messages.loading")}</p>
          ) : !hasOlder && rows.length > 0 ? (
            <p className="history-note">{t("messages.beginning")}</p>
          ) : null}
          {rows.length === 0 && loading === "none" ? (
            <p className="history-note">{t("messages.empty")}</p>
          ) : null}
          {rows.map((row) =>
            row.kind === "day" ? (
              <div key={row.key} className="day-separator">
                <time dateTime={row.date}>{row.label}</time>
              </div>
            ) : (
              <div key={row.key} data-key={row.key}>
                <MessageBubble
                  message={row.message}
                  own={row.message.sender.id === myId}
                  showSender={isGroup && row.firstOfGroup && row.message.sender.id !== myId}
                  myId={myId}
                  moderator={moderator}
                  nameOf={nameOf}
                  actions={actions}
                  highlighted={highlighted === row.key}
                />
              </div>
            ),
          )}
          {loading === "newer" ? <p className="history-note">{t("messages.loading")}</p> : null}
        </div>
      </div>
      {showPill ? (
        <button
          type="button"
          className="new-messages-pill"
          onClick={() => {
            if (hasNewer) onJumpToLatest();
            else {
              toBottom();
              setUnseen(false);
            }
          }}
        >
          <DownIcon />
          {unseen ? t("messages.newMessages") : t("messages.jumpToLatest")}
        </button>
      ) : null}
    </div>
  );
}
