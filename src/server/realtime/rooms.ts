/** Socket.IO room names. Every socket joins its user's, its session's and each of its chats' rooms. */
export const rooms = {
  user: (userId: string) => `user:${userId}`,
  session: (sessionId: string) => `session:${sessionId}`,
  chat: (chatId: string) => `chat:${chatId}`,
  /** The user's sockets whose tab is in view (see visibility.ts). */
  visible: (userId: string) => `visible:${userId}`,
};
