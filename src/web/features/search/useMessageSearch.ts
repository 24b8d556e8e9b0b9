import { useCallback, useEffect, useRef, useState } from "react";
import type { SearchResult } from "../../../protocol/index.js";
import { searchMessages } from "./search-api.js";

/** Letters or digits: a query without one would only be refused. */
const HAS_WORD = /[\p{L}\p{N}]/u;
const DEBOUNCE_MS = 250;
const PAGE = 20;

export type SearchStatus = "idle" | "searching" | "ready" | "more" | "error";

/** The search box's state: results of the current query (debounced), and the next page on demand. */
export function useMessageSearch(chatId?: string) {
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<SearchResult[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [status, setStatus] = useState<SearchStatus>("idle");
  // Answers to an older query (or page) are dropped: only the latest request may write.
  const generation = useRef(0);

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
    const timer = setTimeout(() => {
      searchMessages(q.slice(0, 200), { chatId, limit: PAGE })
        .then((page) => {
          if (generation.current !== mine) return;
          setResults(page.results);
          setCursor(page.cursor);
          setStatus("ready");
        })
        .catch(() => {
          if (generation.current === mine) setStatus("error");
        });
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, chatId]);

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
      .catch(() => {
        if (generation.current === mine) setStatus("error");
      });
  }, [status, cursor, query, chatId]);

  return { query, setQuery, results, status, hasMore: cursor !== null, loadMore };
}
