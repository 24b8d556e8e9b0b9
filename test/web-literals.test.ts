import { describe, expect, it } from "vitest";
import { findLiterals, literalsIn } from "./support/jsx-literals.js";

describe("UI text comes from the catalogues", () => {
  it("no component under src/web holds a literal string a user would read", () => {
    const found = literalsIn("src/web").map((l) => `${l.file}:${l.line} ${JSON.stringify(l.text)}`);
    expect(found).toEqual([]);
  });

  it("finds literal text, text attributes, shown expressions and menu labels", () => {
    const sample = `
      export function Bad({ busy, name }: { busy: boolean; name?: string }) {
        const items = [{ label: "Reply", run: () => {} }];
        return (
          <div title="Close the dialog">
            <p>Hello there</p>
            <input placeholder={busy ? "Saving…" : t("x.idle")} aria-label={\`Chat with \${name}\`} />
            <img alt='A cat' src="/cat.png" />
            <span>{name ?? "someone"}</span>
            <Field label="Email" />
          </div>
        );
      }`;
    expect(findLiterals("Bad.tsx", sample).map((l) => l.text)).toEqual([
      "Reply",
      "Close the dialog",
      "Hello there",
      "Saving…",
      "Chat with",
      "A cat",
      "someone",
      "Email",
    ]);
  });

  it("lets through keys, class names, CSS, URLs, keys of the keyboard, emoji and the brand", () => {
    const sample = `
      export function Good({ theme, count }: { theme: string; count: number }) {
        const t = useT();
        const [value] = useState("Initial value");
        const onKey = (e: KeyboardEvent) => e.key === "Escape";
        return (
          <section className={theme === "dark" ? "panel is-dark" : "panel"} aria-label={t("app.nav.label")}>
            <span>Glasschat</span> <a href="https://example.com/Docs" style={{ fontFamily: "Poppins" }}>👍 {count > 99 ? "99+" : count}</a>
            <button type="button" onKeyDown={onKey} title={t("chats.actionsFor", { title: "x" })}>PNG</button>
            <input dir="auto" type="search" autoComplete="off" value={value} />
          </section>
        );
      }`;
    expect(findLiterals("Good.tsx", sample)).toEqual([]);
  });
});
