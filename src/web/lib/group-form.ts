/**
 * Which of the emails a 404 `user_not_found` names. The server's `fields` may be keyed by the
 * email itself, by its place in the list (`emails.2`), or name it in the explanation.
 */
export function unknownEmails(emails: readonly string[], fields: Record<string, string>): string[] {
  const keys = Object.keys(fields).map((k) => k.toLowerCase());
  const texts = Object.values(fields).map((v) => String(v).toLowerCase());
  return emails.filter((email, i) => {
    const e = email.toLowerCase();
    return (
      keys.includes(e) ||
      keys.includes(`emails.${i}`) ||
      keys.includes(`emails[${i}]`) ||
      texts.some((t) => t.includes(e))
    );
  });
}
