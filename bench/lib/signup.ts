/** Signs bench users up over the real HTTP API, two by two, each pair sharing a direct chat. */

export interface BenchUser {
  index: number;
  email: string;
  cookie: string;
  chatId: string;
}

const PASSWORD = "bench-password-1";

async function post(url: string, origin: string, body: unknown, cookie?: string): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      origin,
      ...(cookie ? { cookie } : {}),
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
}

async function expectStatus(res: Response, ok: number[], what: string): Promise<void> {
  if (!ok.includes(res.status)) {
    throw new Error(`${what}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
  }
}

async function register(base: string, tag: string, index: number): Promise<Omit<BenchUser, "chatId">> {
  const email = `user${index}@${tag}.bench.test`;
  const res = await post(`${base}/api/auth/register`, base, {
    email,
    username: `b${tag}_${index}`,
    password: PASSWORD,
  });
  await expectStatus(res, [201], `register ${email}`);
  // Keep only name=value of each Set-Cookie; attributes are for browsers.
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  if (!cookie) throw new Error(`register ${email}: no Set-Cookie in the 201 answer`);
  return { index, email, cookie };
}

async function signUpPair(base: string, tag: string, pair: number): Promise<[BenchUser, BenchUser]> {
  const [a, b] = await Promise.all([register(base, tag, 2 * pair), register(base, tag, 2 * pair + 1)]);
  const res = await post(`${base}/api/chats`, base, { email: b.email }, a.cookie);
  await expectStatus(res, [200, 201], `create chat ${a.email} -> ${b.email}`);
  const { chat } = (await res.json()) as { chat: { id: string } };
  return [
    { ...a, chatId: chat.id },
    { ...b, chatId: chat.id },
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
