import type { HighlightRange } from "../../../protocol/index.js";

/** Characters kept before the first match when a long message is cut for the results list. */
const LEAD = 40;

/**
 * The part of a long message worth showing in a result: from a little before its first match on
 * (cut at a space where one is near, never inside a surrogate pair), with the ranges moved along.
 */
export function snippet(
  body: string,
  ranges: readonly HighlightRange[],
): { text: string; ranges: HighlightRange[] } {
  const first = ranges[0]?.[0] ?? 0;
  if (first <= LEAD * 1.5) return { text: body, ranges: [...ranges] };
  let start = first - LEAD;
  const space = body.indexOf(" ", start);
  if (space !== -1 && space < first) start = space + 1;
  if (/[\uDC00-\uDFFF]/.test(body[start] ?? "")) start++;
  const text = `…${body.slice(start)}`;
  const shift = start - 1;
  return { text, ranges: ranges.filter(([s]) => s >= start).map(([s, e]) => [s - shift, e - shift]) };
}
