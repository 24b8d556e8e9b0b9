import type { Chat, Message, MessagePage, User } from "../../../src/protocol/index.js";
import type { Context } from "./context.js";
import { type Answer, call } from "./http.js";

export interface Account {
  user: User;
  email: string;
  username: string;
  password: string;
  cookie: string;
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
}

export const PASSWORD = "correct horse battery";

export function sessionCookie(answer: Answer): string {
  const match = /glasschat_session=[^;]+/.exec(answer.headers.get("set-cookie") ?? "");
  if (!match) throw new Error(`no session cookie (status ${answer.status}: ${answer.text.slice(0, 200)})`);
  return match[0];
}

/** Registers a user with a seeded name; `headers` e.g. an X-Forwarded-For to spread sign-ups. */
export async function signUp(
  ctx: Context,
  baseUrl: string,
  name: string,
  headers: Record<string, string> = {},
): Promise<Account> {
  const username = `${name}_${ctx.hex(8)}`;
  const email = `${username}@example.com`;
  const answer = await call(baseUrl, "POST", "/api/auth/register", {
    body: { email, username, password: PASSWORD },
    headers,
  });
  if (answer.status !== 201)
    throw new Error(`sign-up answered ${answer.status}: ${answer.text.slice(0, 200)}`);
  return account(baseUrl, (answer.json() as { user: User }).user, email, username, sessionCookie(answer));
}

export function account(
  baseUrl: string,
  user: User,
  email: string,
  username: string,
  cookie: string,
): Account {
  return {
    user,
    email,
    username,
    password: PASSWORD,
    cookie,
    api: (method, path, body, headers) => call(baseUrl, method, path, { body, cookie, headers }),
  };
}

export async function startChat(from: Account, to: Account): Promise<string> {
  const answer = await from.api("POST", "/api/chats", { email: to.email });
  if (answer.status !== 201 && answer.status !== 200)
    throw new Error(`chat creation answered ${answer.status}`);
  return (answer.json() as { chat: Chat }).chat.id;
}

/** Every message of a chat the account can see, oldest first (pages back with `before=`). */
export async function history(who: Account, chatId: string): Promise<Message[]> {
  const pages: Message[][] = [];
  let before = "";
  for (let i = 0; i < 10_000; i++) {
    const answer = await who.api("GET", `/api/chats/${chatId}/messages?limit=100${before}`);
    if (answer.status !== 200) throw new Error(`history answered ${answer.status}`);
    const page = answer.json() as MessagePage;
    pages.unshift(page.messages);
    const first = page.messages[0];
    if (!page.hasMore || !first) break;
    before = `&before=${first.id}`;
  }
  return pages.flat();
}
