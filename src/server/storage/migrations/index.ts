import type { Migration } from "kysely";
import * as initial from "./001-initial.js";
import * as insights from "./002-insights.js";
import * as conversations from "./003-conversations.js";
import * as settings from "./004-settings.js";
import * as presence from "./005-presence.js";

/** Versioned, in order; applied at start by `migrateToLatest`. Never edit a released migration. */
export const migrations: Record<string, Migration> = {
  "001-initial": initial,
  "002-insights": insights,
  "003-conversations": conversations,
  "004-settings": settings,
  "005-presence": presence,
};
