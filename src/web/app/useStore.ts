import { useSyncExternalStore } from "react";
import type { Store } from "../lib/store.js";

/** Subscribes a component to a slice of a store; the selector must return stable references. */
export function useStore<S, T>(store: Store<S>, selector: (state: S) => T): T {
  return useSyncExternalStore(store.subscribe, () => selector(store.get()));
}
