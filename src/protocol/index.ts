export * from "./accounts.js";
export * from "./errors.js";
export * from "./event-schemas.js";
export * from "./events.js";
export * from "./insights.js";
export * from "./limits.js";
export type * from "./model.js";
export * from "./push.js";
export * from "./responses.js";
export * from "./schemas.js";
export * from "./search.js";

/** Bumped when the wire contract changes incompatibly. */
export const PROTOCOL_VERSION = 1;
