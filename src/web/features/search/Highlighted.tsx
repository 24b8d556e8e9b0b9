import type { HighlightRange } from "../../../protocol/index.js";

/** Text with the given `[start, end)` ranges marked: React text nodes only, never HTML. */
export function Highlighted({ text, ranges }: { text: string; ranges: readonly HighlightRange[] }) {
  const parts: { text: string; marked: boolean; at: number }[] = [];
  let at = 0;
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (start < at || end > text.length || start >= end) continue;
    if (start > at) parts.push({ text: text.slice(at, start), marked: false, at });
    parts.push({ text: text.slice(start, end), marked: true, at: start });
    at = end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), marked: false, at });
  return <>{parts.map((part) => (part.marked ? <mark key={part.at}>{part.text}</mark> : part.text))}</>;
}
