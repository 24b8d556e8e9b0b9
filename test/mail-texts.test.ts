import { describe, expect, it } from "vitest";
import { layOut } from "../src/server/mail/layout.js";
import { MAIL_LOCALES, MAIL_TEXTS, mailLocale, mailText } from "../src/server/mail/texts/index.js";

const placeholders = (message: unknown) =>
  [...JSON.stringify(message).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("mail texts", () => {
  it("every language has exactly the English keys, with the same placeholders and plural forms", () => {
    const reference = MAIL_TEXTS.en;
    for (const locale of MAIL_LOCALES) {
      const texts = MAIL_TEXTS[locale];
      expect(Object.keys(texts).sort()).toEqual(Object.keys(reference).sort());
      for (const [key, message] of Object.entries(reference)) {
        const translated = texts[key as keyof typeof texts];
        expect(typeof translated, key).toBe(typeof message);
        expect([...new Set(placeholders(translated))], `${locale} ${key}`).toEqual([
          ...new Set(placeholders(message)),
        ]);
      }
    }
  });

  it("picks the language from a stored value or Accept-Language, English otherwise", () => {
    expect(mailLocale("de")).toBe("de");
    expect(mailLocale("de-AT,de;q=0.9,en;q=0.8")).toBe("de");
    expect(mailLocale("fr-FR, de;q=0.5")).toBe("de");
    expect(mailLocale("fr")).toBe("en");
    expect(mailLocale(null)).toBe("en");
    expect(mailText("de", "unread.chat", { title: "ann", count: 2 })).toBe("ann: 2 ungelesene Nachrichten");
    expect(mailText("en", "unread.chat", { title: "ann", count: 1 })).toBe("ann: 1 unread message");
  });

  it("escapes user-made text in the HTML part", () => {
    const mail = layOut({
      to: "x@example.com",
      subject: "s",
      paragraphs: ['<img src=x onerror="alert(1)">'],
      action: { label: "Open", url: 'https://example.org/"><script>' },
      notes: [],
    });
    expect(mail.html).not.toContain("<img");
    expect(mail.html).not.toContain("<script>");
    expect(mail.text).toContain('<img src=x onerror="alert(1)">');
  });
});
