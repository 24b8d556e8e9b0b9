import { useHashIs } from "../../app/route.js";

/** The Settings page lives at #/settings, next to #/insights and the chat routes. */
export const SETTINGS_HREF = "#/settings";

export const useSettingsRoute = (): boolean => useHashIs(SETTINGS_HREF);
