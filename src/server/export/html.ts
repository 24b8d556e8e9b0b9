import type { Message } from "../../protocol/index.js";

/** Text for HTML content and attribute values: nothing a user wrote can become markup. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** The page runs nothing and loads nothing, whatever it contains. */
export function htmlStart(username: string, exportedAt: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Glasschat export of ${escapeHtml(username)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1c1b22}
h2{margin-top:2.5rem;border-bottom:1px solid #ccc}
.m{margin:.4rem 0}.meta{color:#666;font-size:.8rem}.body{white-space:pre-wrap;overflow-wrap:anywhere}
.system,.deleted{color:#777;font-style:italic}
</style></head><body>
<h1>Glasschat export of ${escapeHtml(username)}</h1>
<p class="meta">Exported ${escapeHtml(exportedAt)}</p>
`;
}

export function htmlChatStart(title: string, members: string[]): string {
  return `<section><h2 dir="auto">${escapeHtml(title)}</h2>
<p class="meta" dir="auto">${escapeHtml(members.join(", "))}</p>
`;
}

export function htmlMessage(message: Message): string {
  const meta = `<div class="meta"><span dir="auto">${escapeHtml(message.sender.username)}</span> · <time datetime="${escapeHtml(message.createdAt)}">${escapeHtml(message.createdAt)}</time>${message.editedAt ? " · edited" : ""}</div>`;
  let body: string;
  if (message.system) body = `<div class="system">${escapeHtml(describeSystem(message))}</div>`;
  else if (message.deletedAt) body = `<div class="deleted">deleted</div>`;
  else {
    const reply = message.replyTo
      ? `<div class="meta">↪ ${escapeHtml(message.replyTo.sender.username)}: <span dir="auto">${escapeHtml(message.replyTo.excerpt)}</span></div>`
      : "";
    const files = message.files.map((file) => `<div class="meta">📎 ${escapeHtml(file.name)}</div>`).join("");
    body = `${reply}<div class="body" dir="auto">${escapeHtml(message.body)}</div>${files}`;
  }
  return `<div class="m">${meta}${body}</div>\n`;
}

function describeSystem(message: Message): string {
  const info = message.system;
  if (!info) return "";
  return info.title === undefined
    ? info.event.replaceAll("_", " ")
    : `${info.event.replaceAll("_", " ")}: ${info.title}`;
}

export const htmlChatEnd = "</section>\n";
export const htmlEnd = "</body></html>\n";
