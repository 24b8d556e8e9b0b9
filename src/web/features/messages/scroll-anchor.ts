/**
 * Keeping the reader's place while the window changes above them (older pages prepended, the
 * far end trimmed, fonts swapping): remember the first visible row and its offset, and put it
 * back at the same offset after the DOM changed. Message rows carry `data-key` (day separators
 * do not: the same separator moves above an older page, so it is no fixed point); the scroller
 * is their offsetParent (position: relative).
 */
export interface Anchor {
  key: string;
  offset: number;
}

export function captureAnchor(scroller: HTMLElement, content: HTMLElement): Anchor | null {
  const top = scroller.scrollTop;
  for (const child of content.children) {
    const el = child as HTMLElement;
    const key = el.dataset.key;
    if (key && el.offsetTop + el.offsetHeight > top) return { key, offset: el.offsetTop - top };
  }
  return null;
}

export function restoreAnchor(scroller: HTMLElement, content: HTMLElement, anchor: Anchor | null): void {
  if (!anchor) return;
  const el = content.querySelector<HTMLElement>(`[data-key="${CSS.escape(anchor.key)}"]`);
  if (el) scroller.scrollTop = el.offsetTop - anchor.offset;
}

export function distanceFromBottom(scroller: HTMLElement): number {
  return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight;
}
