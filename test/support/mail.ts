import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll } from "vitest";
import { closeAllSockets } from "./client.js";
import type { Dialect } from "./databases.js";
import { freePort } from "./process.js";
import { startServer, type TestServer } from "./server.js";

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: ParsedMail["headers"];
  /** The connection was TLS (STARTTLS) and authenticated when this arrived. */
  secure: boolean;
  user: string | undefined;
}

export interface MailServer {
  /** An SMTP_URL for it: credentials, STARTTLS with the test server's self-signed certificate. */
  url: string;
  received: ReceivedMail[];
  /** The next mail to `to` not yet taken (waits up to `ms`). */
  next(to: string, ms?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

const USER = "glasschat";
const PASS = "s3cret-mail-pass";

/**
 * A real SMTP server on loopback (smtp-server): STARTTLS with its built-in certificate, AUTH
 * required (it refuses AUTH before TLS), every mail parsed by mailparser.
 */
export async function startMailServer(): Promise<MailServer> {
  const received: ReceivedMail[] = [];
  const taken = new Set<ReceivedMail>();
  const server = new SMTPServer({
    authMethods: ["PLAIN", "LOGIN"],
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASS) return callback(null, { user: USER });
      return callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
          received.push({
            to: to?.value[0]?.address ?? "",
            subject: mail.subject ?? "",
            text: mail.text ?? "",
            html: typeof mail.html === "string" ? mail.html : "",
            headers: mail.headers,
            secure: session.secure,
            user: typeof session.user === "string" ? session.user : undefined,
          });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
    logger: false,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${USER}:${PASS}@127.0.0.1:${port}/?tls.rejectUnauthorized=false`,
    received,
    async next(to, ms = 10_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const mail = received.find((m) => m.to === to && !taken.has(m));
        if (mail) {
          taken.add(mail);
          return mail;
        }
        if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${ms} ms`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The first link in a mail's text that starts with `base`. */
export function linkIn(mail: ReceivedMail, base: string): URL {
  const match = mail.text.match(/https?:\/\/\S+/g)?.find((url) => url.startsWith(base));
  if (!match) throw new Error(`no link to ${base} in:\n${mail.text}`);
  return new URL(match);
}

/** The token at the end of a web-app link such as `/#/reset/<token>`. */
export const tokenOf = (link: URL) => link.hash.split("/").at(-1) ?? "";

/**
 * The app on a port known before it starts, so PUBLIC_URL (which SMTP_URL requires) is the
 * address a browser actually uses, with mail going to `mail`.
 */
export async function startServerWithMail(
  mail: MailServer,
  options: { dialect?: Dialect; env?: Record<string, string>; now?: () => number } = {},
): Promise<TestServer> {
  const port = await freePort();
  return startServer({
    ...options,
    port,
    env: { SMTP_URL: mail.url, PUBLIC_URL: `http://127.0.0.1:${port}`, ...options.env },
  });
}

/**
 * A mail server and an app sending to it for one suite, with a clock the tests can move
 * (`env.clock`, ms added to Date.now, back to 0 after each test); read the fields inside tests.
 */
export function mailSuite(options: { dialect?: Dialect; env?: Record<string, string> } = {}) {
  const env = { clock: 0 } as { mail: MailServer; server: TestServer; clock: number };
  beforeAll(async () => {
    env.mail = await startMailServer();
    env.server = await startServerWithMail(env.mail, { ...options, now: () => Date.now() + env.clock });
  });
  afterEach(() => {
    closeAllSockets();
    env.clock = 0;
  });
  afterAll(async () => {
    await env.server?.close();
    await env.mail?.close();
  });
  return env;
}
