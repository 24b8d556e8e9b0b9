import { useCallback, useEffect, useRef, useState } from "react";

/** How long "Undo" is offered before the action reaches the server. */
export const UNDO_MS = 5000;

export interface Undoable {
  id: number;
  message: string;
  /** Runs when the offer expires (or the page goes away): the real, server-side action. */
  commit: () => void;
  /** Runs on "Undo": puts the local view back. */
  revert: () => void;
}

/**
 * Pending undoable actions. Each commits when its time is up; leaving the page (or signing out)
 * commits whatever is still pending, so nothing the user did is silently dropped.
 */
export function useUndoQueue(ms = UNDO_MS) {
  const [pending, setPending] = useState<Undoable[]>([]);
  const timers = useRef(new Map<number, { timer: ReturnType<typeof setTimeout>; entry: Undoable }>());
  const nextId = useRef(1);

  const settle = useCallback((id: number, how: "commit" | "revert") => {
    const held = timers.current.get(id);
    if (!held) return;
    clearTimeout(held.timer);
    timers.current.delete(id);
    setPending((list) => list.filter((e) => e.id !== id));
    held.entry[how]();
  }, []);

  const offer = useCallback(
    (message: string, commit: () => void, revert: () => void) => {
      const entry: Undoable = { id: nextId.current++, message, commit, revert };
      const timer = setTimeout(() => settle(entry.id, "commit"), ms);
      timers.current.set(entry.id, { timer, entry });
      setPending((list) => [...list, entry]);
      return entry.id;
    },
    [ms, settle],
  );

  const flush = useCallback(() => {
    for (const id of [...timers.current.keys()]) settle(id, "commit");
  }, [settle]);

  useEffect(() => {
    window.addEventListener("pagehide", flush);
    return () => {
      window.removeEventListener("pagehide", flush);
      flush();
    };
  }, [flush]);

  return { pending, offer, flush, undo: useCallback((id: number) => settle(id, "revert"), [settle]) };
}
