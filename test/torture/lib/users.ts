import { createClient, type GlasschatClient } from "../../../src/client/index.js";
import type { Message, User } from "../../../src/protocol/index.js";
import type { Context } from "./context.js";
import { type Answer, call } from "./http.js";

/*
 * The well-behaved side of the torture suite goes through the typed client (src/client): sign-up,
 * chats, history. Hostile requests (exact headers, wrong types, no Origin) use `call` and `raw`.
 */

export interface Account {
  user: User;
  email: string;
  username: string;
  password: string;
  cookie: string;
  /** Signed in as this account over HTTP (no socket opened). */
  client: GlasschatClient;
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
}

export const PASSWORD = "correct horse battery";

/** The session cookie of a raw answer (a login made with `call`). */
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
  const client = createClient({ url: baseUrl, headers });
  const user = await client.register({ email, username, password: PASSWORD });
  const cookie = client.sessionCookie();
  if (!cookie) throw new Error(`sign-up of ${email} set no session cookie`);
  return {
    user,
    email,
    username,
    password: PASSWORD,
    cookie,
    client,
    api: (method, path, body, extra) => call(baseUrl, method, path, { body, cookie, headers: extra }),
  };
}

export async function startChat(from: Account, to: Account): Promise<string> {
  return (await from.client.startChat(to.email)).id;
}

/** Every message of a chat the account can see, oldest first (pages back with `before=`). */
export async function history(who: Account, chatId: string): Promise<Message[]> {
  const pages: Message[][] = [];
  let before = "";
  for (let i = 0; i < 10_000; i++) {
    const page = await who.client.history(chatId, { limit: 100, ...(before ? { before } : {}) });
    pages.unshift(page.messages);
    const first = page.messages[0];
    if (!page.hasMore || !first) break;
    before = first.id;
  }
  return pages.flat();
}
