import { account } from "./account.js";
import { accountData } from "./account-data.js";
import { app } from "./app.js";
import { auth } from "./auth.js";
import { blocking } from "./blocking.js";
import { chats } from "./chats.js";
import { common } from "./common.js";
import { errors } from "./errors.js";
import { files } from "./files.js";
import { insights } from "./insights.js";
import { language } from "./language.js";
import { messages } from "./messages.js";
import { notifications } from "./notifications.js";
import { outbox } from "./outbox.js";
import { polish } from "./polish.js";
import { presence } from "./presence.js";
import { search } from "./search.js";
import { settings } from "./settings.js";
import { theme } from "./theme.js";

/** The English catalogue is the reference: its keys are the type every other language must match. */
export const en = {
  ...accountData,
  ...account,
  ...app,
  ...auth,
  ...blocking,
  ...chats,
  ...common,
  ...errors,
  ...files,
  ...insights,
  ...language,
  ...messages,
  ...notifications,
  ...outbox,
  ...polish,
  ...presence,
  ...search,
  ...settings,
  ...theme,
} as const;
