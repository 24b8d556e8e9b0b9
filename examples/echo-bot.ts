/**
 * A bot account that answers every message it gets with "echo: <text>".
 *
 *   GLASSCHAT_URL=http://localhost:3000 BOT_EMAIL=echo@example.org BOT_PASSWORD='long secret' \
 *     npx tsx examples/echo-bot.ts
 *
 * It signs in (registering the account the first time, as BOT_USERNAME or the email's local part),
 * answers live, and after a lost connection answers what it missed. Start a chat with BOT_EMAIL
 * from any account to talk to it. Ctrl-C stops it.
 */
import { ApiError, createClient, type User } from "../src/client/index.js";
import { LIMITS } from "../src/protocol/index.js";

const PREFIX = "echo: ";

const url = process.env.GLASSCHAT_URL ?? "http://localhost:3000";
const email = process.env.BOT_EMAIL;
const password = process.env.BOT_PASSWORD;
if (!email || !password) {
  console.error("Set BOT_EMAIL and BOT_PASSWORD (and GLASSCHAT_URL, default http://localhost:3000).");
  process.exit(2);
}

// Behind a reverse proxy whose PUBLIC_URL differs from GLASSCHAT_URL, the Origin must be PUBLIC_URL.
const client = createClient({
  url,
  ...(process.env.GLASSCHAT_ORIGIN ? { origin: process.env.GLASSCHAT_ORIGIN } : {}),
});

async function signIn(): Promise<User> {
  try {
    return await client.login({ email: email as string, password: password as string });
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== "invalid_credentials") throw error;
    const username = process.env.BOT_USERNAME ?? usernameFrom(email as string);
    console.log(`No account for ${email} yet: registering it as ${username}.`);
    return client.register({ email: email as string, username, password: password as string });
  }
}

/** A valid username from an email's local part: a-z 0-9 _ . -, 3 to 32 characters. */
function usernameFrom(address: string): string {
  const local = (address.split("@")[0] ?? "").toLowerCase().replace(/[^a-z0-9_.-]/g, "_");
  return local.padEnd(LIMITS.usernameMin, "_").slice(0, LIMITS.usernameMax);
}

const me = await signIn();
client.on("message:new", (message) => {
  // Never answer ourselves (our other sessions) or another echo, so two bots cannot loop.
  if (message.sender.id === me.id || message.body.startsWith(PREFIX)) return;
  const answer = `${PREFIX}${message.body}`.slice(0, LIMITS.bodyMax);
  client.send(message.chatId, answer).then(
    () => console.log(`answered ${message.sender.username} in ${message.chatId}`),
    (error: ApiError) =>
      console.error(`could not answer in ${message.chatId}: ${error.code} ${error.message}`),
  );
});
client.on("disconnected", ({ reason }) => console.log(`disconnected (${reason}); reconnecting…`));
client.on("error", (error) => {
  console.error(`${error.code}: ${error.message}`);
  // The session was revoked (logout elsewhere, password change): let a supervisor start us again.
  if (error.code === "unauthorized") process.exit(1);
});
await client.connect();
console.log(`echo bot ready as ${me.username} on ${url}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void client.close().then(() => process.exit(0));
  });
}
