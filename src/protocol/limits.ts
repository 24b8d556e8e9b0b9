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
  /** Largest Socket.IO frame the server accepts (maxHttpBufferSize). */
  frameBytes: 64 * 1024,
} as const;
