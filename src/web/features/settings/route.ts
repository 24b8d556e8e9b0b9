import { useSyncExternalStore } from "react";

/** The Settings page lives at #/settings, next to #/insights and the chat routes. */
export const SETTINGS_HREF = "#/settings";

const subscribe = (listener: () => void) => {
  window.addEventListener("hashchange", listener);
  return () => window.removeEventListener("hashchange", listener);
};

export function useSettingsRoute(): boolean {
  return useSyncExternalStore(subscribe, () => window.location.hash === SETTINGS_HREF);
}
