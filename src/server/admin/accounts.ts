import { invitationPath, storeInvitation } from "../domain/invitations.service.js";
import { readOutbox } from "../mail/outbox.js";
import { createAccountTokensRepository } from "../storage/account-tokens.repository.js";
import { openAdminDatabase } from "../storage/admin.js";
import { createSessionsRepository } from "../storage/sessions.repository.js";
import { createUsersRepository } from "../storage/users.repository.js";
import { type Command, type CommandContext, UsageError } from "./command.js";

const linkBase = ({ config }: CommandContext) => config.publicOrigin ?? `http://localhost:${config.port}`;

function emailArgument(args: string[], usage: string): string {
  const email = args[0]?.trim().toLowerCase();
  if (!email || !/^[^\s@]+@[^\s@]+$/.test(email)) throw new UsageError(usage);
  return email;
}

/** `invite EMAIL`: a sign-up link (valid 7 days, single use), e.g. for the first account of an invite-only server. */
export const invite: Command = async (context) => {
  const email = emailArgument(context.args, "invite needs an email: npm run admin -- invite EMAIL");
  const database = openAdminDatabase(context.config.database);
  try {
    if (await createUsersRepository(database.db).findByEmail(email)) {
      process.stderr.write(`${email} already has an account.\n`);
      return 1;
    }
    const { row, token } = await storeInvitation(
      createAccountTokensRepository(database.db),
      null,
      email,
      Date.now(),
    );
    context.out(`Invitation for ${email}, valid until ${new Date(row.expires_at).toISOString()}:`);
    context.out(`${linkBase(context)}${invitationPath(token)}`);
    return 0;
  } finally {
    await database.close();
  }
};

/**
 * `disable EMAIL`: no more sign-in or mail; every session ends at once (the running server
 * disconnects their sockets at its next session check, SESSION_CHECK_INTERVAL_MS).
 */
export const disable: Command = async (context) => {
  const email = emailArgument(context.args, "disable needs an email: npm run admin -- disable EMAIL");
  const database = openAdminDatabase(context.config.database);
  try {
    const users = createUsersRepository(database.db);
    const user = await users.findByEmail(email);
    if (!user) {
      process.stderr.write(`No account has the email ${email}.\n`);
      return 1;
    }
    const now = Date.now();
    await users.disable(user.id, now);
    await createAccountTokensRepository(database.db).revokeEverythingOf(user.id, now);
    const ended = await createSessionsRepository(database.db).deleteForUser(user.id);
    context.out(`Disabled ${email} (${user.username}); ended ${ended.length} session(s).`);
    return 0;
  } finally {
    await database.close();
  }
};

/** `outbox [--json]`: the mail the server wrote to DATA_DIR/outbox (no SMTP_URL), oldest first. */
export const outbox: Command = async ({ args, config, out }) => {
  const mails = readOutbox(config.mail.outboxDir);
  if (args.includes("--json")) {
    out(JSON.stringify(mails, null, 2));
    return 0;
  }
  if (config.smtpUrl) out("SMTP_URL is set: new mail goes to the SMTP server, not to the outbox.");
  for (const mail of mails) {
    out(`--- ${mail.date}  to ${mail.to}`);
    out(`Subject: ${mail.subject}`);
    out("");
    out(mail.text);
    out("");
  }
  out(`${mails.length} ${mails.length === 1 ? "mail" : "mails"} in ${config.mail.outboxDir}`);
  return 0;
};
