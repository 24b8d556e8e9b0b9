import type { HighlightRange } from "../../protocol/index.js";

/**
 * The words of a text as both indexes see them: runs of letters and digits (with their combining
 * marks); everything else separates. A query is only ever a list of such words, so nothing the
 * user types can reach a query language as syntax.
 */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** Most distinct words one query searches for (a 200-character query has at most 100). */
export const SEARCH_WORDS_MAX = 16;

/**
 * Lower case without accents: what "ignoring case and accents" compares. Only the combining
 * diacritics (U+0300–U+036F) go, as in the PostgreSQL index's fold; other scripts' marks are
 * parts of their letters.
 */
export function fold(word: string): string {
  return word
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .normalize("NFC")
    .toLowerCase();
}

/**
 * Every word matches by prefix (the protocol says so), but a prefix shorter than this is costly:
 * FTS5 reads its whole posting list before the first row (on 200,000 messages a common
 * one-letter prefix took 240 ms, a two-letter one 200 ms, a three-letter one 48 ms:
 * bench/search.ts --query), so such a search counts as SHORT_PREFIX_COST searches against the
 * caller's rate limit.
 */
export const PREFIX_MIN_LENGTH = 3;
export const SHORT_PREFIX_COST = 10;

/** Scripts whose every character is a syllable or a word (and which unicode61 does not split): always by prefix. */
const SYLLABIC = /[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** A query word as typed (SQLite's tokenizer folds it like the index) and folded (PostgreSQL, highlights). */
export interface QueryWord {
  raw: string;
  folded: string;
  /** A prefix under PREFIX_MIN_LENGTH characters, outside the syllabic scripts: a costly search. */
  short: boolean;
}

/** The distinct words of a query, at most SEARCH_WORDS_MAX; empty when it has none. */
export function queryWords(q: string): QueryWord[] {
  const words: QueryWord[] = [];
  for (const match of q.matchAll(WORD)) {
    const folded = fold(match[0]);
    if (folded.length > 0 && !words.some((w) => w.folded === folded))
      words.push({
        raw: match[0],
        folded,
        short: [...folded].length < PREFIX_MIN_LENGTH && !SYLLABIC.test(folded),
      });
  }
  // A word that starts another word adds nothing to the AND (every word matches by prefix).
  const kept = words.filter((w) => !words.some((o) => o !== w && o.folded.startsWith(w.folded)));
  return kept.slice(0, SEARCH_WORDS_MAX);
}

/** `[start, end)` UTF-16 ranges of the words of `body` that one of `words` matches. */
export function highlightRanges(body: string, words: QueryWord[]): HighlightRange[] {
  const ranges: HighlightRange[] = [];
  for (const match of body.matchAll(WORD)) {
    const folded = fold(match[0]);
    if (words.some((w) => folded.startsWith(w.folded)))
      ranges.push([match.index, match.index + match[0].length]);
  }
  return ranges;
}

/** FTS5 MATCH text: each word a quoted prefix phrase, implicitly ANDed (words hold no quotes). */
export function ftsQuery(words: QueryWord[]): string {
  return words.map((w) => `"${w.raw}"*`).join(" ");
}

/** tsquery text for to_tsquery('simple', …): each word a quoted prefix lexeme, ANDed. */
export function tsQuery(words: QueryWord[]): string {
  return words.map((w) => `'${w.folded}':*`).join(" & ");
}
