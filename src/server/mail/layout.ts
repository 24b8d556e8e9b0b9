import type { Mail } from "./mailer.js";

/** What a mail says, before it is laid out as text and as HTML. */
export interface MailContent {
  to: string;
  subject: string;
  /** Paragraphs (or list lines with `list`), plain text. */
  paragraphs: string[];
  list?: string[];
  action: { label: string; url: string };
  /** Small print under the button. */
  notes: string[];
  /** A second, quieter link, e.g. "Stop these mails". */
  secondary?: { label: string; url: string };
  headers?: Record<string, string>;
}

const escapeHtml = (value: string) =>
  value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");

/**
 * The app's look in mail: the violet backdrop, a dark glass card, the green accent button, Poppins
 * where installed. Inline styles and tables only, as mail clients strip the rest. Every user-made
 * string (usernames, chat titles) is escaped.
 */
export function layOut(content: MailContent): Mail {
  const text = [
    ...content.paragraphs,
    ...(content.list ? ["", ...content.list.map((line) => `- ${line}`)] : []),
    "",
    `${content.action.label}: ${content.action.url}`,
    "",
    ...content.notes,
    ...(content.secondary ? ["", `${content.secondary.label}: ${content.secondary.url}`] : []),
    "",
    "-- ",
    "Glasschat",
  ].join("\n");
  const font = "Poppins, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
  const paragraph = (line: string) =>
    `<p style="margin:0 0 14px;font-size:15px;line-height:1.5;color:#ffffff">${escapeHtml(line)}</p>`;
  const list = content.list
    ? `<ul style="margin:0 0 18px;padding-left:20px;color:#ffffff">${content.list
        .map((line) => `<li style="margin:0 0 6px;font-size:15px">${escapeHtml(line)}</li>`)
        .join("")}</ul>`
    : "";
  const notes = content.notes
    .map(
      (line) =>
        `<p style="margin:0 0 8px;font-size:13px;line-height:1.5;color:rgba(255,255,255,0.8)">${escapeHtml(line)}</p>`,
    )
    .join("");
  const secondary = content.secondary
    ? `<p style="margin:14px 0 0;font-size:13px"><a href="${escapeHtml(content.secondary.url)}" style="color:#ffd166">${escapeHtml(content.secondary.label)}</a></p>`
    : "";
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(content.subject)}</title></head>
<body style="margin:0;padding:0;background:#6a5acd;background-image:linear-gradient(135deg,#667eea 0%,#764ba2 100%);font-family:${font}">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="padding:32px 12px"><tr><td align="center">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:520px;background:rgba(0,0,0,0.28);background-color:#3b2f6b;border:1px solid rgba(255,255,255,0.16);border-radius:18px">
<tr><td style="padding:28px 28px 8px;font-size:20px;font-weight:600;color:#ffffff">Glasschat</td></tr>
<tr><td style="padding:12px 28px 28px">
${content.paragraphs.map(paragraph).join("\n")}
${list}
<p style="margin:8px 0 22px"><a href="${escapeHtml(content.action.url)}" style="display:inline-block;padding:12px 22px;border-radius:999px;background:#00b09b;background-image:linear-gradient(135deg,#00b09b 0%,#96c93d 100%);color:#06221b;font-weight:600;font-size:15px;text-decoration:none">${escapeHtml(content.action.label)}</a></p>
${notes}
${secondary}
</td></tr></table>
</td></tr></table>
</body></html>`;
  return {
    to: content.to,
    subject: content.subject,
    text,
    html,
    ...(content.headers ? { headers: content.headers } : {}),
  };
}
