import type { Migration } from "kysely";
import * as initial from "./001-initial.js";
import * as insights from "./002-insights.js";
import * as conversations from "./003-conversations.js";
import * as settings from "./004-settings.js";
import * as presence from "./005-presence.js";
import * as blocks from "./006-blocks.js";
import * as search from "./007-search.js";
import * as files from "./008-files.js";
import * as accounts from "./009-accounts.js";
import * as pushAndAccountDeletion from "./010-push-and-account-deletion.js";
import * as searchAfterCommit from "./011-search-after-commit.js";
import * as searchLeanIndex from "./012-search-lean-index.js";
import * as postgresSearchAfterCommit from "./013-postgres-search-after-commit.js";
import * as changesIndexForChangedOnly from "./014-changes-index-for-changed-only.js";

/** Versioned, in order; applied at start by `migrateToLatest`. Never edit a released migration. */
export const migrations: Record<string, Migration> = {
  "001-initial": initial,
  "002-insights": insights,
  "003-conversations": conversations,
  "004-settings": settings,
  "005-presence": presence,
  "006-blocks": blocks,
  "007-search": search,
  "008-files": files,
  "009-accounts": accounts,
  "010-push-and-account-deletion": pushAndAccountDeletion,
  "011-search-after-commit": searchAfterCommit,
  "012-search-lean-index": searchLeanIndex,
  "013-postgres-search-after-commit": postgresSearchAfterCommit,
  "014-changes-index-for-changed-only": changesIndexForChangedOnly,
};
