import { type FormEvent, useId, useState } from "react";
import { CalendarIcon, SearchIcon } from "../../app/icons.js";
import { useT } from "../../i18n/index.js";
import { requestJump, startOfLocalDay } from "./jump-requests.js";

/** Today as `YYYY-MM-DD` in the browser's time zone (the date input's latest day). */
function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The chat header's "Search in this chat" toggle and "Jump to date" (a date input). */
export function ChatTools({
  chatId,
  searching,
  onToggleSearch,
}: {
  chatId: string;
  searching: boolean;
  onToggleSearch: () => void;
}) {
  const t = useT();
  const id = useId();
  const [picking, setPicking] = useState(false);
  const [day, setDay] = useState(today);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return;
    requestJump(chatId, { date: startOfLocalDay(day) });
    setPicking(false);
  };

  return (
    <div className="chat-tools">
      <button
        type="button"
        className="icon-button chat-search-button"
        aria-label={searching ? t("search.closeInChat") : t("search.openInChat")}
        aria-pressed={searching}
        title={searching ? t("search.closeInChat") : t("search.openInChat")}
        onClick={onToggleSearch}
      >
        <SearchIcon />
      </button>
      <button
        type="button"
        className="icon-button jump-date-button"
        aria-label={t("search.jumpToDate")}
        aria-expanded={picking}
        title={t("search.jumpToDate")}
        onClick={() => setPicking((p) => !p)}
      >
        <CalendarIcon />
      </button>
      {picking ? (
        <form className="jump-date-form" onSubmit={submit}>
          <label htmlFor={`${id}-day`}>{t("search.dateLabel")}</label>
          <input
            id={`${id}-day`}
            type="date"
            required
            max={today()}
            value={day}
            onChange={(e) => setDay(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === "Escape") setPicking(false);
            }}
          />
          <button type="submit" className="primary-button">
            {t("search.go")}
          </button>
        </form>
      ) : null}
    </div>
  );
}
