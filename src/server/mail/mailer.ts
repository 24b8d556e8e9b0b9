import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import nodemailer, { type Transporter } from "nodemailer";

/** One mail, as the builders in mails.ts make it: always a plain-text and an HTML part. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers, e.g. List-Unsubscribe. */
  headers?: Record<string, string>;
}

/** What the outbox keeps beside each raw `.eml`, for `npm run admin -- outbox`. */
export interface OutboxEntry {
  date: string;
  to: string;
  subject: string;
  text: string;
}

export interface MailerOptions {
  /** smtp:// or smtps:// with credentials; without it mail goes to `outboxDir`. */
  smtpUrl: string | undefined;
  from: string;
  outboxDir: string;
  /** The origin links point at (PUBLIC_URL, or the server's own address for the outbox). */
  linkBase: () => string;
}

/**
 * The one way the server sends mail. `send` resolves once the SMTP server accepted the mail (or
 * it is written to the outbox) and rejects when it did not; callers that must not reveal timing
 * (password reset) send it after they answered.
 */
export interface Mailer {
  send(mail: Mail): Promise<void>;
  /** An absolute link into the web app, e.g. `link("/#/reset/abc")`. */
  link(path: string): string;
  /** "smtp" or "outbox": where mail goes. */
  readonly kind: "smtp" | "outbox";
  close(): void;
}

export function createMailer(options: MailerOptions): Mailer {
  const link = (path: string) => `${options.linkBase().replace(/\/+$/, "")}${path}`;
  if (options.smtpUrl) {
    // smtp:// upgrades with STARTTLS when offered (requireTLS for port 587); smtps:// is TLS from the start.
    const transport: Transporter = nodemailer.createTransport(options.smtpUrl);
    return {
      kind: "smtp",
      link,
      async send(mail) {
        await transport.sendMail({ from: options.from, ...mail });
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    kind: "outbox",
    link,
    async send(mail) {
      const info = await transport.sendMail({ from: options.from, ...mail });
      mkdirSync(options.outboxDir, { recursive: true, mode: 0o700 });
      const date = new Date();
      const name = `${date.toISOString().replace(/[:.]/g, "-")}-${randomBytes(4).toString("hex")}`;
      writeFileSync(join(options.outboxDir, `${name}.eml`), info.message as Buffer, { mode: 0o600 });
      const entry: OutboxEntry = {
        date: date.toISOString(),
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
      };
      writeFileSync(join(options.outboxDir, `${name}.json`), `${JSON.stringify(entry, null, 2)}\n`, {
        mode: 0o600,
      });
    },
    close: () => transport.close(),
  };
}
