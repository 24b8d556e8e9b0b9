// Loaded on demand (dynamic import) when the Insights page draws its first chart: ECharts stays
// out of the initial bundle. Only the chart types and components the page uses are registered.
import { BarChart, HeatmapChart, LineChart } from "echarts/charts";
import {
  AriaComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import type { Locale } from "../../i18n/index.js";
import { ECHARTS_DE } from "./echarts-de.js";

echarts.use([
  BarChart,
  HeatmapChart,
  LineChart,
  AriaComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

// ECharts' own words (aria descriptions, month names in tooltips) in the reader's language. Keys
// left out (toolbox, unused chart types) fall back to English: ECharts merges a locale with it.
echarts.registerLocale("DE", ECHARTS_DE as Parameters<typeof echarts.registerLocale>[1]);
const ECHARTS_LOCALES: Record<Locale, string> = { en: "EN", de: "DE" };
export const echartsLocale = (locale: Locale) => ECHARTS_LOCALES[locale];

export { echarts };
