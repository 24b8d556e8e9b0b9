import { useSyncExternalStore } from "react";

/** The Insights page lives at #/insights, next to the chat routes (#/chat/<id>). */
export const INSIGHTS_HREF = "#/insights";

const subscribe = (listener: () => void) => {
  window.addEventListener("hashchange", listener);
  return () => window.removeEventListener("hashchange", listener);
};

export function useInsightsRoute(): boolean {
  return useSyncExternalStore(subscribe, () => window.location.hash === INSIGHTS_HREF);
}
