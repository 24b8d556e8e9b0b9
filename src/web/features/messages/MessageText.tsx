import { memo } from "react";
import { linkify } from "../../lib/linkify.js";

/** Message text as text nodes; only http(s) URLs become links. Never parsed as HTML. */
export const MessageText = memo(function MessageText({ text }: { text: string }) {
  return (
    <p className="msg-body" dir="auto">
      {linkify(text).map((part, i) =>
        part.kind === "link" ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one immutable string
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        ) : (
          part.text
        ),
      )}
    </p>
  );
});
