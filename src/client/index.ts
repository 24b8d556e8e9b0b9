/**
 * The typed Glasschat client for Node and browsers. Built on `src/protocol` only.
 *
 * ```ts
 * const client = createClient({ url: "http://localhost:3000" });
 * await client.login({ email, password });
 * client.on("message:new", (m) => console.log(m.sender.username, m.body));
 * await client.connect();
 * await client.send(chatId, "hello");
 * ```
 */

export type * from "../protocol/model.js";
export {
  type ChatSocket,
  type ClientEvents,
  type ClientOptions,
  createClient,
  GlasschatClient,
  type HistoryQuery,
  type SendOptions,
  type ServerEvents,
} from "./client.js";
export { ApiError, type ClientErrorCode } from "./errors.js";
export { newClientId } from "./ids.js";
