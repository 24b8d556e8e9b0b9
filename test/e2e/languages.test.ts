import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { describeIfChromium, newUserContext } from "../support/browser.js";
import { eventually, messageLog, serverAndBrowser, signUpInBrowser, uniqueUser } from "./helpers.js";

const langOf = (page: Page) => page.evaluate(() => document.documentElement.lang);
const description = (page: Page) =>
  page.evaluate(() => document.querySelector('meta[name="description"]')?.getAttribute("content"));

describeIfChromium("web client: English and German", () => {
  const env = serverAndBrowser();

  it("a German browser gets the German sign-in screen and, after sign-up, a German chat screen", async () => {
    const friend = await signUpInBrowser(env.browser, env.server.url, "friend");
    const context = await newUserContext(env.browser, { locale: "de-DE" });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(env.server.url);

    await page.getByRole("heading", { name: "Willkommen zurück" }).waitFor();
    await expect(langOf(page)).resolves.toBe("de");
    await expect(description(page)).resolves.toContain("Messenger in Echtzeit");
    await page.getByRole("button", { name: "Registrieren" }).click();
    await page.getByRole("heading", { name: "Erstell dein Konto" }).waitFor();
    // The protocol's validation texts, checked in the browser, come in German.
    await page.getByLabel("E-Mail", { exact: true }).fill("not-an-email");
    await page.getByRole("button", { name: "Registrieren" }).click();
    await page.getByText("Gib eine gültige E-Mail-Adresse ein.").waitFor();

    const me = uniqueUser("dora");
    await page.getByLabel("E-Mail", { exact: true }).fill(me.email);
    await page.getByLabel("Benutzername").fill(me.username);
    await page.getByLabel("Passwort").fill(me.password);
    await page.getByRole("button", { name: "Registrieren" }).click();
    await page.getByRole("button", { name: "Abmelden" }).waitFor();
    await page.getByText("Wähl einen Chat aus oder starte einen neuen.").waitFor();

    // A group: its plural, its system note (I am the actor: "Du hast …"), today's separator.
    await page.getByRole("button", { name: "Neue Gruppe" }).click();
    await page.getByLabel("Gruppenname").fill("Kuchenrunde");
    await page.getByLabel("Leute hinzufügen").fill(friend.email);
    await page.getByLabel("Leute hinzufügen").press("Enter");
    await page.getByRole("button", { name: "Gruppe erstellen" }).click();
    const log = page.getByRole("log", { name: "Nachrichten" });
    await page.getByRole("region", { name: "Chat mit Kuchenrunde" }).waitFor();
    await page.getByText("2 Mitglieder").waitFor();
    await log.getByText("Du hast die Gruppe „Kuchenrunde“ erstellt").waitFor();
    await log.locator(".day-separator").getByText("Heute", { exact: true }).waitFor();

    const box = page.getByLabel("Nachricht", { exact: true });
    await expect(box.getAttribute("placeholder")).resolves.toBe("Nachricht schreiben …");
    await box.fill("Wer bringt den Kuchen mit?");
    await box.press("Enter");
    const bubble = log.locator(".msg").filter({ hasText: "Wer bringt den Kuchen mit?" });
    await bubble.locator('.msg-status[title="Gesendet"]').waitFor();
    // Times of day in German: 24 hours, no AM/PM.
    await expect(bubble.locator("time").textContent()).resolves.toMatch(/^\d{2}:\d{2}$/);

    // The friend answers; the unread count of my list reads in German.
    await page.getByRole("navigation", { name: "Hauptmenü" }).getByRole("link", { name: "Chats" }).click();
    await friend.page.getByRole("list", { name: "Chats" }).getByRole("link", { name: "Kuchenrunde" }).click();
    const friendBox = friend.page.getByLabel("Message", { exact: true });
    for (const text of ["Ich!", "Und Sahne."]) {
      await friendBox.fill(text);
      await friendBox.press("Enter");
      await messageLog(friend.page).getByText(text).waitFor();
    }
    await page.getByRole("link", { name: /^Kuchenrunde, .+, 2 ungelesen$/ }).waitFor();

    // Insights: German headings, series names and ECharts' own spoken description.
    await page
      .getByRole("navigation", { name: "Hauptmenü" })
      .getByRole("link", { name: "Statistik" })
      .click();
    await page.getByRole("heading", { name: "Statistik", level: 1 }).waitFor();
    const byHour = page.getByRole("region", { name: "Nachrichten nach Uhrzeit" });
    await byHour.locator('[data-rendered="true"]').waitFor();
    const spoken = await byHour.locator(".insights-chart").getAttribute("aria-label");
    expect(spoken).toContain("Gesendet");
    expect(spoken).toContain("Empfangen");
    expect(spoken).not.toMatch(/chart|series/i);

    expect(errors).toEqual([]);
    await context.close();
    await friend.context.close();
  });

  it("switches the language at runtime, without a reload, and remembers the choice", async () => {
    const context = await newUserContext(env.browser);
    const page = await context.newPage();
    await page.goto(env.server.url);
    await page.getByRole("heading", { name: "Welcome back" }).waitFor();
    await expect(langOf(page)).resolves.toBe("en");
    await page.evaluate(() => {
      (window as unknown as { stillHere: boolean }).stillHere = true;
    });

    await page.getByLabel("Language").selectOption({ label: "Deutsch" });
    await page.getByRole("heading", { name: "Willkommen zurück" }).waitFor();
    await page.getByRole("button", { name: "Anmelden" }).waitFor();
    await expect(langOf(page)).resolves.toBe("de");
    await expect(page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).resolves.toBe(
      true,
    );

    await page.reload();
    await page.getByRole("heading", { name: "Willkommen zurück" }).waitFor();
    await page.getByLabel("Sprache").selectOption({ label: "English" });
    await page.getByRole("heading", { name: "Welcome back" }).waitFor();
    await eventually(() => langOf(page)).toBe("en");
    await context.close();
  });
});
