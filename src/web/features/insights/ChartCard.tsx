import type { ECharts } from "echarts/core";
import { useEffect, useId, useRef, useState } from "react";
import type { Insights } from "../../../protocol/index.js";
import { useLocale, useT } from "../../i18n/index.js";
import type { Theme } from "../../lib/theme.js";
import { chartOption, PALETTES } from "./chart-options.js";
import { type ChartKind, csv } from "./csv.js";
import { downloadText, downloadUrl } from "./download.js";

let library: Promise<typeof import("./echarts.js")> | undefined;
/** One shared dynamic import: the first chart pays for loading ECharts, the others reuse it. */
const loadCharts = () => {
  library ??= import("./echarts.js");
  return library;
};

export interface ChartCardProps {
  kind: ChartKind;
  title: string;
  /** A line under the title (e.g. the median reply time). */
  summary?: string;
  data: Insights;
  theme: Theme;
  /** File names of the downloads, without extension. */
  fileBase: string;
  /** Shown instead of the chart when this chart has nothing to draw. */
  emptyText?: string;
  tall?: boolean;
}

/** A titled chart with PNG and CSV downloads; ECharts is loaded the first time one is drawn. */
export function ChartCard({ kind, title, summary, data, theme, fileBase, emptyText, tall }: ChartCardProps) {
  const t = useT();
  const locale = useLocale();
  const titleId = useId();
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const [state, setState] = useState<"loading" | "drawn" | "failed">("loading");

  useEffect(() => {
    if (emptyText || !host.current) return;
    const element = host.current;
    let disposed = false;
    let observer: ResizeObserver | undefined;
    setState("loading");
    loadCharts().then(
      ({ echarts, echartsLocale }) => {
        if (disposed) return;
        const instance = echarts.init(element, theme === "dark" ? "dark" : undefined, {
          renderer: "canvas",
          locale: echartsLocale(locale),
        });
        chart.current = instance;
        instance.on("finished", () => setState("drawn"));
        instance.setOption(chartOption(kind, data, PALETTES[theme]));
        observer = new ResizeObserver(() => instance.resize());
        observer.observe(element);
      },
      () => !disposed && setState("failed"),
    );
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, [kind, data, theme, emptyText, locale]);

  const downloadPng = () => {
    const url = chart.current?.getDataURL({
      type: "png",
      pixelRatio: 2,
      backgroundColor: PALETTES[theme].exportBackground,
    });
    if (url) downloadUrl(url, `${fileBase}.png`);
  };
  const downloadCsv = () => downloadText(csv[kind](data), `${fileBase}.csv`, "text/csv;charset=utf-8");

  return (
    <section className="insights-card panel" aria-labelledby={titleId} data-chart={kind}>
      <header className="insights-card-head">
        <div>
          <h2 id={titleId}>{title}</h2>
          {summary ? <p className="insights-card-summary">{summary}</p> : null}
        </div>
        <div className="insights-card-actions">
          <button
            type="button"
            className="ghost-button small-button"
            onClick={downloadPng}
            disabled={state !== "drawn" || Boolean(emptyText)}
            aria-label={t("insights.downloadPng", { title })}
          >
            PNG
          </button>
          <button
            type="button"
            className="ghost-button small-button"
            onClick={downloadCsv}
            aria-label={t("insights.downloadCsv", { title })}
          >
            CSV
          </button>
        </div>
      </header>
      {emptyText ? (
        <p className="insights-card-empty">{emptyText}</p>
      ) : (
        <div
          ref={host}
          className={tall ? "insights-chart insights-chart-tall" : "insights-chart"}
          role="img"
          aria-label={title}
          data-rendered={state === "drawn" ? "true" : "false"}
        />
      )}
      {state === "failed" ? (
        <p className="insights-card-empty" role="alert">
          {t("insights.chartFailed")}
        </p>
      ) : null}
    </section>
  );
}
