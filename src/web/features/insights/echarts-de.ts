/**
 * ECharts' own German words, for the chart types this page draws: the spoken description of a
 * chart (aria) and the calendar names (from Intl). ECharts ships a German locale, but its aria
 * sentences read machine-made; these are written for the page.
 */
const names = (options: Intl.DateTimeFormatOptions, count: number, at: (i: number) => number) => {
  const format = new Intl.DateTimeFormat("de", { ...options, timeZone: "UTC" });
  return Array.from({ length: count }, (_, i) => format.format(at(i)));
};
const month = (i: number) => Date.UTC(2024, i, 1);
const day = (i: number) => Date.UTC(2024, 0, 7 + i); // 2024-01-07 was a Sunday

export const ECHARTS_DE = {
  time: {
    month: names({ month: "long" }, 12, month),
    monthAbbr: names({ month: "short" }, 12, month),
    dayOfWeek: names({ weekday: "long" }, 7, day),
    dayOfWeekAbbr: names({ weekday: "short" }, 7, day),
  },
  legend: { selector: { all: "Alle", inverse: "Umkehren" } },
  series: {
    typeNames: { bar: "Balkendiagramm", line: "Liniendiagramm", heatmap: "Heatmap", chart: "Diagramm" },
  },
  aria: {
    general: { withTitle: "Ein Diagramm zu „{title}“", withoutTitle: "Ein Diagramm" },
    series: {
      single: { prefix: "", withName: ": {seriesType} „{seriesName}“.", withoutName: ": {seriesType}." },
      multiple: {
        prefix: " mit {seriesCount} Datenreihen.",
        withName: " {seriesType} „{seriesName}“.",
        withoutName: " {seriesType}.",
        separator: { middle: "", end: "" },
      },
    },
    data: {
      allData: " Die Werte: ",
      partialData: " Die ersten {displayCnt} Werte: ",
      withName: "{name}: {value}",
      withoutName: "{value}",
      separator: { middle: ", ", end: "." },
    },
  },
};
