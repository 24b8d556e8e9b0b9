import { useCallback, useEffect, useRef, useState } from "react";
import type { SearchResult } from "../../../protocol/index.js";
import { ApiError } from "../../api/http.js";
import { searchMessages } from "./search-api.js";

/** Letters or digits: a query without one would only be refused. */
const HAS_WORD = /[\p{L}\p{N}]/u;
const DEBOUNCE_MS = 250;
const PAGE = 20;
/** A refused search (rate_limited) is asked again after Retry-After, up to this long. */
const MAX_RETRY_WAIT_S = 60;

/** Seconds until a refused search may be asked again, or null when retrying would not help. */
function retryAfter(error: unknown): number | null {
  if (!(error instanceof ApiError) || error.code !== "rate_limited") return null;
  return Math.min(Math.max(error.retryAfterSeconds ?? 1, 1), MAX_RETRY_WAIT_S);
}

export type SearchStatus = "idle" | "searching" | "ready" | "more" | "error";

/** The search box's state: results of the current query (debounced), and the next page on demand. */
export function useMessageSearch(chatId?: string) {
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<SearchResult[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [status, setStatus] = useState<SearchStatus>("idle");
  /** Why the last request failed (status "error"). */
  const [failure, setFailure] = useState<unknown>(null);
  // Bumped to ask the current query again (after a rate_limited answer's wait).
  const [attempt, setAttempt] = useState(0);
  // Answers to an older query (or page) are dropped: only the latest request may write.
  const generation = useRef(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt is the trigger to ask again, not an input
  useEffect(() => {
    const q = query.trim();
    const mine = ++generation.current;
    if (!HAS_WORD.test(q)) {
      setResults([]);
      setCursor(null);
      setStatus("idle");
      return;
    }
    setStatus("searching");
    let retry: ReturnType<typeof setTimeout> | undefined;
    const timer = setTimeout(() => {
      searchMessages(q.slice(0, 200), { chatId, limit: PAGE })
        .then((page) => {
          if (generation.current !== mine) return;
          setResults(page.results);
          setCursor(page.cursor);
          setStatus("ready");
        })
        .catch((e: unknown) => {
          if (generation.current !== mine) return;
          // Results of the previous query would pass for this one's.
          setResults([]);
          setCursor(null);
          setFailure(e);
          setStatus("error");
          const wait = retryAfter(e);
          if (wait !== null) retry = setTimeout(() => setAttempt((n) => n + 1), wait * 1000);
        });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      clearTimeout(retry);
    };
  }, [query, chatId, attempt]);

  const loadMore = useCallback(() => {
    if (status !== "ready" || !cursor) return;
    const mine = generation.current;
    setStatus("more");
    searchMessages(query.trim().slice(0, 200), { chatId, cursor, limit: PAGE })
      .then((page) => {
        if (generation.current !== mine) return;
        setResults((r) => [...r, ...page.results]);
        setCursor(page.cursor);
        setStatus("ready");
      })
      .catch((e: unknown) => {
        if (generation.current !== mine) return;
        // The results so far stay; scrolling asks for the next page again once allowed.
        setFailure(e);
        setStatus("error");
        const wait = retryAfter(e);
        if (wait !== null)
          setTimeout(() => {
            if (generation.current === mine) setStatus("ready");
          }, wait * 1000);
      });
  }, [status, cursor, query, chatId]);

  return { query, setQuery, results, status, failure, hasMore: cursor !== null, loadMore };
}
