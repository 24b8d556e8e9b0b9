/** Signs bench users up over the real HTTP API with the typed client (src/client). */
import { createClient } from "../../src/client/index.js";

export interface BenchUser {
  index: number;
  email: string;
  /** The user's id. */
  id: string;
  /** `Cookie` header of the session, for the raw sockets and fetches of the measured loops. */
  cookie: string;
  chatId: string;
}

const PASSWORD = "bench-password-1";

/** One account; resolves with its id, its session cookie and the client signed in as it. */
export async function signUpOne(base: string, email: string, username: string) {
  const client = createClient({ url: base, requestTimeoutMs: 30_000 });
  const user = await client.register({ email, username, password: PASSWORD });
  const cookie = client.sessionCookie();
  if (!cookie) throw new Error(`register ${email}: no session cookie in the answer`);
  return { id: user.id, email, cookie, client };
}

async function signUpPair(base: string, tag: string, pair: number): Promise<[BenchUser, BenchUser]> {
  const [a, b] = await Promise.all(
    [2 * pair, 2 * pair + 1].map(async (index) => ({
      index,
      ...(await signUpOne(base, `user${index}@${tag}.bench.test`, `b${tag}_${index}`)),
    })),
  );
  if (!a || !b) throw new Error("sign-up lost a user");
  const chat = await a.client.startChat(b.email);
  await Promise.all([a.client.close(), b.client.close()]);
  const user = ({ index, email, id, cookie }: BenchUser | typeof a): Omit<BenchUser, "chatId"> => ({
    index,
    email,
    id,
    cookie,
  });
  return [
    { ...user(a), chatId: chat.id },
    { ...user(b), chatId: chat.id },
  ];
}

/** `users` users (even), `concurrency` pairs at a time (password hashing is the slow part). */
export async function signUpUsers(base: string, users: number, concurrency = 4): Promise<BenchUser[]> {
  const tag = Math.random().toString(36).slice(2, 8);
  const pairs = Math.floor(users / 2);
  const out: BenchUser[] = [];
  let next = 0;
  const worker = async () => {
    while (next < pairs) {
      const pair = next++;
      out.push(...(await signUpPair(base, tag, pair)));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, pairs) }, worker));
  return out.sort((x, y) => x.index - y.index);
}
