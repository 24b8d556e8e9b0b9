import { useEffect, useId, useState } from "react";
import type { Chat, Insights } from "../../../protocol/index.js";
import { describeError } from "../../app/errors.js";
import { useStore } from "../../app/useStore.js";
import { themeStore } from "../theme/theme-store.js";
import { ChartCard } from "./ChartCard.js";
import { formatSeconds } from "./chart-options.js";
import { addDays, browserTimeZone, fetchInsights, type InsightsFilter, todayInZone } from "./insights-api.js";
import "./insights.css";

const PRESETS = [
  { label: "7 days", days: 7 },
  { label: "30 days", days: 30 },
  { label: "90 days", days: 90 },
  { label: "1 year", days: 365 },
];

type Load =
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "ready"; data: Insights };

const number = new Intl.NumberFormat();

/** Message statistics of the signed-in user: filters, totals and five charts. */
export default function InsightsPage({ chats }: { chats: Chat[] }) {
  const theme = useStore(themeStore, (t) => t);
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
  const chatName = filter.chatId ? (chats.find((c) => c.id === filter.chatId)?.title ?? "this chat") : null;
  const fileSuffix = `${filter.from}_${filter.to}`;

  return (
    <main className="insights" aria-labelledby="insights-title">
      <div className="insights-head panel">
        <h1 id="insights-title">Insights</h1>
        <form className="insights-filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
          <span className="insights-field">
            <label htmlFor={ids.chat}>Chat</label>
            <select
              id={ids.chat}
              value={filter.chatId ?? ""}
              onChange={(e) => setFilter({ ...filter, chatId: e.target.value || null })}
            >
              <option value="">All chats</option>
              {chats.map((chat) => (
                <option key={chat.id} value={chat.id}>
                  {chat.title}
                </option>
              ))}
            </select>
          </span>
          <span className="insights-field">
            <label htmlFor={ids.from}>From</label>
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
            <label htmlFor={ids.to}>To</label>
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
            <legend className="visually-hidden">Quick ranges</legend>
            {PRESETS.map((p) => (
              <button
                key={p.days}
                type="button"
                className="ghost-button small-button"
                onClick={() => preset(p.days)}
              >
                {p.label}
              </button>
            ))}
          </fieldset>
        </form>
        <p className="insights-zone">Times are shown in your time zone, {filter.tz}.</p>
      </div>

      {load.status === "loading" ? (
        <p className="insights-status" aria-busy="true">
          Counting messages…
        </p>
      ) : null}
      {load.status === "error" ? (
        <p className="notice" role="alert">
          Insights could not be loaded: {load.message}
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
  const where = chatName ? `with ${chatName}` : "in your chats";
  if (data.totals.messages === 0) {
    return (
      <section className="insights-empty panel" aria-label="No messages">
        <h2>
          No messages {where} between {data.range.from} and {data.range.to}
        </h2>
        <p>
          Insights count the messages you sent and received that you can still see (cleared history is left
          out). Pick a longer range or another chat, or start chatting: the charts fill in as messages arrive.
        </p>
      </section>
    );
  }
  const reply = data.replyTimeSeconds;
  const common = { data, theme };
  return (
    <>
      <dl className="insights-totals panel" aria-label="Totals">
        <div>
          <dt>Messages</dt>
          <dd>{number.format(data.totals.messages)}</dd>
        </div>
        <div>
          <dt>Sent</dt>
          <dd>{number.format(data.totals.sent)}</dd>
        </div>
        <div>
          <dt>Received</dt>
          <dd>{number.format(data.totals.received)}</dd>
        </div>
        <div>
          <dt>Characters</dt>
          <dd>{number.format(data.totals.characters)}</dd>
        </div>
        <div>
          <dt>Median reply</dt>
          <dd>{formatSeconds(reply.median)}</dd>
        </div>
      </dl>
      <div className="insights-grid">
        <ChartCard
          {...common}
          kind="byHour"
          title="Messages by hour"
          fileBase={`messages-by-hour_${fileSuffix}`}
        />
        <ChartCard
          {...common}
          kind="byWeekdayHour"
          title="Weekday × hour"
          summary="When your conversations happen, Monday to Sunday"
          fileBase={`weekday-hour_${fileSuffix}`}
        />
        <ChartCard
          {...common}
          kind="byDay"
          title="Messages per day"
          fileBase={`messages-per-day_${fileSuffix}`}
          tall
        />
        <ChartCard
          {...common}
          kind="topChats"
          title="Top chats"
          fileBase={`top-chats_${fileSuffix}`}
          emptyText={data.topChats.length === 0 ? "No chat had messages in this range." : undefined}
        />
        <ChartCard
          {...common}
          kind="replyTime"
          title="Reply time"
          summary={
            reply.count === 0
              ? undefined
              : `Median ${formatSeconds(reply.median)}, 90% within ${formatSeconds(reply.p90)} (${number.format(reply.count)} replies)`
          }
          fileBase={`reply-time_${fileSuffix}`}
          emptyText={
            reply.count === 0
              ? `No replies yet ${where}: reply time measures how long you take to answer a message from someone else.`
              : undefined
          }
        />
      </div>
    </>
  );
}
