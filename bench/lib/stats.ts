import type { Percentiles } from "./types.js";

/** Nearest-rank percentiles; sorts its input in place. */
export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  values.sort((a, b) => a - b);
  const at = (p: number) =>
    values[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)] ?? 0;
  let sum = 0;
  for (const v of values) sum += v;
  return {
    count: values.length,
    mean: sum / values.length,
    p50: at(50),
    p90: at(90),
    p99: at(99),
    max: values[values.length - 1] ?? 0,
  };
}

/** Prints rows as an aligned text table; numbers are right-aligned. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[], source: (string | number)[] | undefined) =>
    r
      .map((c, i) =>
        typeof source?.[i] === "number" ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0),
      )
      .join("  ")
      .trimEnd();
  const out = [line(header, undefined), widths.map((w) => "-".repeat(w)).join("  ")];
  rows.forEach((r, i) => {
    out.push(line(cells[i + 1] ?? [], r));
  });
  return out.join("\n");
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "-");
