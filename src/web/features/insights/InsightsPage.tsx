import { useEffect, useId, useState } from "react";
import type { Chat, Insights } from "../../../protocol/index.js";
import { describeError } from "../../app/errors.js";
import { useStore } from "../../app/useStore.js";
import { themeStore } from "../theme/theme-store.js";
import { ChartCard } from "./ChartCard.js";
import { formatSeconds } from "./chart-options.js";
import { addDays, browserTimeZone, fetchInsights, type InsightsFilter, todayInZone } from "./insights-api.js";
import "./insights.css";
import { t, useLocale, useT } from "../../i18n/index.js";

const PRESETS = [7, 30, 90, 365];
const presetLabel = (days: number) =>
  days === 365 ? t("insights.lastYear") : t("insights.lastDays", { count: days });

type Load =
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "ready"; data: Insights };

/** Message statistics of the signed-in user: filters, totals and five charts. */
export default function InsightsPage({ chats }: { chats: Chat[] }) {
  const t = useT();
  const theme = useStore(themeStore, (s) => s);
  const ids = { chat: useId(), from: useId(), to: useId() };
  const [filter, setFilter] = useState<InsightsFilter>(() => {
    const tz = browserTimeZone();
    const to = todayInZone(tz);
    return { chatId: null, from: addDays(to, -89), to, tz };
  });
  const [load, setLoad] = useState<Load>({ status: "loading" });

  useEffect(() => {
    let cancelled = false;
    setLoad({ status: "loading" });
    fetchInsights(filter).then(
      (data) => !cancelled && setLoad({ status: "ready", data }),
      (error: unknown) => !cancelled && setLoad({ status: "error", message: describeError(error) }),
    );
    return () => {
      cancelled = true;
    };
  }, [filter]);

  const preset = (days: number) => {
    const to = todayInZone(filter.tz);
    setFilter({ ...filter, from: addDays(to, -(days - 1)), to });
  };
  const chatName = filter.chatId
    ? (chats.find((c) => c.id === filter.chatId)?.title ?? t("insights.thisChat"))
    : null;
  const fileSuffix = `${filter.from}_${filter.to}`;

  return (
    <main className="insights" aria-labelledby="insights-title">
      <div className="insights-head panel">
        <h1 id="insights-title">{t("insights.title")}</h1>
        <form
          className="insights-filters"
          onSubmit={(e) => e.preventDefault()}
          aria-label={t("insights.filters")}
        >
          <span className="insights-field">
            <label htmlFor={ids.chat}>{t("insights.chat")}</label>
            <select
              id={ids.chat}
              value={filter.chatId ?? ""}
              onChange={(e) => setFilter({ ...filter, chatId: e.target.value || null })}
            >
              <option value="">{t("insights.allChats")}</option>
              {chats.map((chat) => (
                <option key={chat.id} value={chat.id}>
                  {chat.title}
                </option>
              ))}
            </select>
          </span>
          <span className="insights-field">
            <label htmlFor={ids.from}>{t("insights.from")}</label>
            <input
              id={ids.from}
              type="date"
              value={filter.from}
              max={filter.to}
              required
              onChange={(e) => e.target.value && setFilter({ ...filter, from: e.target.value })}
            />
          </span>
          <span className="insights-field">
            <label htmlFor={ids.to}>{t("insights.to")}</label>
            <input
              id={ids.to}
              type="date"
              value={filter.to}
              min={filter.from}
              required
              onChange={(e) => e.target.value && setFilter({ ...filter, to: e.target.value })}
            />
          </span>
          <fieldset className="insights-presets">
            <legend className="visually-hidden">{t("insights.quickRanges")}</legend>
            {PRESETS.map((days) => (
              <button
                key={days}
                type="button"
                className="ghost-button small-button"
                onClick={() => preset(days)}
              >
                {presetLabel(days)}
              </button>
            ))}
          </fieldset>
        </form>
        <p className="insights-zone">{t("insights.zone", { zone: filter.tz })}</p>
      </div>

      {load.status === "loading" ? (
        <p className="insights-status" aria-busy="true">
          {t("insights.counting")}
        </p>
      ) : null}
      {load.status === "error" ? (
        <p className="notice" role="alert">
          {t("insights.loadFailed", { reason: load.message })}
        </p>
      ) : null}
      {load.status === "ready" ? (
        <InsightsBody data={load.data} chatName={chatName} theme={theme} fileSuffix={fileSuffix} />
      ) : null}
    </main>
  );
}

function InsightsBody({
  data,
  chatName,
  theme,
  fileSuffix,
}: {
  data: Insights;
  chatName: string | null;
  theme: "dark" | "light";
  fileSuffix: string;
}) {
  const t = useT();
  const locale = useLocale();
  const number = new Intl.NumberFormat(locale);
  const day = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  const dateOf = (iso: string) => day.format(new Date(`${iso}T00:00:00Z`));
  const range = { from: dateOf(data.range.from), to: dateOf(data.range.to) };
  if (data.totals.messages === 0) {
    return (
      <section className="insights-empty panel" aria-label={t("insights.noMessagesLabel")}>
        <h2>
          {chatName
            ? t("insights.noMessagesWith", { chat: chatName, ...range })
            : t("insights.noMessagesAll", range)}
        </h2>
        <p>{t("insights.emptyExplain")}</p>
      </section>
    );
  }
  const reply = data.replyTimeSeconds;
  const common = { data, theme };
  return (
    <>
      <dl className="insights-totals panel" aria-label={t("insights.totals")}>
        <div>
          <dt>{t("insights.messages")}</dt>
          <dd>{number.format(data.totals.messages)}</dd>
        </div>
        <div>
          <dt>{t("insights.sent")}</dt>
          <dd>{number.format(data.totals.sent)}</dd>
        </div>
        <div>
          <dt>{t("insights.received")}</dt>
          <dd>{number.format(data.totals.received)}</dd>
        </div>
        <div>
          <dt>{t("insights.characters")}</dt>
          <dd>{number.format(data.totals.characters)}</dd>
        </div>
        <div>
          <dt>{t("insights.medianReply")}</dt>
          <dd>{formatSeconds(reply.median)}</dd>
        </div>
      </dl>
      <div className="insights-grid">
        <ChartCard
          {...common}
          kind="byHour"
          title={t("insights.chart.byHour")}
          fileBase={`messages-by-hour_${fileSuffix}`}
        />
        <ChartCard
          {...common}
          kind="byWeekdayHour"
          title={t("insights.chart.byWeekdayHour")}
          summary={t("insights.chart.byWeekdayHourSummary")}
          fileBase={`weekday-hour_${fileSuffix}`}
        />
        <ChartCard
          {...common}
          kind="byDay"
          title={t("insights.chart.byDay")}
          fileBase={`messages-per-day_${fileSuffix}`}
          tall
        />
        <ChartCard
          {...common}
          kind="topChats"
          title={t("insights.chart.topChats")}
          fileBase={`top-chats_${fileSuffix}`}
          emptyText={data.topChats.length === 0 ? t("insights.chart.topChatsEmpty") : undefined}
        />
        <ChartCard
          {...common}
          kind="replyTime"
          title={t("insights.chart.replyTime")}
          summary={
            reply.count === 0
              ? undefined
              : t("insights.chart.replyTimeSummary", {
                  median: formatSeconds(reply.median),
                  p90: formatSeconds(reply.p90),
                  count: reply.count,
                })
          }
          fileBase={`reply-time_${fileSuffix}`}
          emptyText={
            reply.count === 0
              ? chatName
                ? t("insights.chart.noRepliesWith", { chat: chatName })
                : t("insights.chart.noRepliesAll")
              : undefined
          }
        />
      </div>
    </>
  );
}
