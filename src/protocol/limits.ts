/** Limits that are part of the contract, shared by the server's checks and the client's forms. */
export const LIMITS = {
  usernameMin: 3,
  usernameMax: 32,
  passwordMin: 8,
  passwordMax: 256,
  emailMax: 254,
  bodyMax: 4000,
  clientIdMax: 64,
  pageDefault: 50,
  pageMax: 100,
  changesDefault: 100,
  changesMax: 500,
  groupTitleMax: 100,
  /** Default of GROUP_MAX_MEMBERS (members in all, the creator included). */
  groupMaxMembers: 256,
  /** Default of MESSAGE_EDIT_WINDOW_S. */
  messageEditWindowS: 86400,
  /** Default of MESSAGE_DELETE_WINDOW_S. */
  messageDeleteWindowS: 3600,
  /** Distinct emoji per message. */
  reactionsMax: 20,
  /** Unicode code points in one reaction emoji. */
  emojiMaxCodePoints: 32,
  /** Characters of the replied message shown in `replyTo.excerpt`. */
  replyExcerpt: 200,
  /** Files attached to one message. */
  filesPerMessage: 10,
  /** Default of FILE_MAX_BYTES (25 MiB). */
  fileMaxBytes: 26_214_400,
  /** Default of FILE_QUOTA_BYTES (1 GiB). */
  fileQuotaBytes: 1_073_741_824,
  /** Largest Socket.IO frame the server accepts (maxHttpBufferSize). */
  frameBytes: 64 * 1024,
} as const;
