import type { RunSpec } from "./report.js";
import type { Scenario } from "./types.js";

/** What bench/run.ts reads from the environment to choose its runs. */
export interface PlanOptions {
  /** on: pinned runs only; off: unpinned only; both. */
  pin: string;
  pgUrl: string | undefined;
  redisUrl: string | undefined;
  scale: string;
  scaleWorkers: number;
  only: string[];
  beforeEntry: string | undefined;
}

export const BARE = "bare socket.io";
export const DURABLE = "bare+durable insert+acks";

/** The runs of one pin mode; unpinned variants are named "... (unpinned)". */
function planFor(options: PlanOptions, pinned: boolean): RunSpec[] {
  const { pin: PIN, pgUrl: PG_URL, redisUrl: REDIS_URL, scale: SCALE, only: ONLY } = options;
  const { scaleWorkers: SCALE_WORKERS, beforeEntry: BEFORE_ENTRY } = options;
  const suffix = pinned || PIN === "off" ? "" : " (unpinned)";
  const both: Scenario[] = ["throughput", "latency"];
  const runs: RunSpec[] = both.map((scenario) => ({
    variant: `${BARE}${suffix}`,
    target: "bare",
    role: "bare",
    scenario,
    pinned,
  }));
  for (const scenario of both) {
    runs.push({
      variant: `${DURABLE}${suffix}`,
      target: "bare",
      role: "durable",
      entry: "bench/durable-server.ts",
      scenario,
      pinned,
    });
  }
  const real = (
    variant: string,
    db: "sqlite" | "postgres",
    env: Record<string, string>,
    scenarios: Scenario[],
  ) => {
    for (const scenario of scenarios)
      runs.push({ variant: `${variant}${suffix}`, target: "real", scenario, db, env, pinned });
  };
  real("sqlite full+batch", "sqlite", { SQLITE_SYNCHRONOUS: "full", SEND_BATCHING: "on" }, both);
  // What indexing messages for search costs the send path (issue 12: at most 10 % of the ratio).
  real(
    "sqlite full+batch, no search index",
    "sqlite",
    { SQLITE_SYNCHRONOUS: "full", SEND_BATCHING: "on", SEARCH_INDEX: "off" },
    ["throughput"],
  );
  // The writer thread even where the process may use one core only (inline is the default there).
  if (pinned) {
    real(
      "sqlite full+batch, writer thread",
      "sqlite",
      { SQLITE_SYNCHRONOUS: "full", SEND_BATCHING: "on", SQLITE_WRITER: "thread" },
      both,
    );
  }
  // Another build of the server (e.g. an export of main) next to this one, in the same run.
  if (BEFORE_ENTRY) {
    for (const scenario of both) {
      runs.push({
        variant: `sqlite full+batch, before${suffix}`,
        target: "real",
        scenario,
        db: "sqlite",
        env: { SQLITE_SYNCHRONOUS: "full", SEND_BATCHING: "on" },
        entry: BEFORE_ENTRY,
        pinned,
      });
    }
  }
  real("sqlite normal+batch", "sqlite", { SQLITE_SYNCHRONOUS: "normal", SEND_BATCHING: "on" }, [
    "throughput",
  ]);
  real("sqlite full, one-by-one", "sqlite", { SQLITE_SYNCHRONOUS: "full", SEND_BATCHING: "off" }, [
    "throughput",
  ]);
  if (PG_URL) {
    real("postgres+batch", "postgres", { SEND_BATCHING: "on" }, both);
    real("postgres+batch, no search index", "postgres", { SEND_BATCHING: "on", SEARCH_INDEX: "off" }, [
      "throughput",
    ]);
    if (BEFORE_ENTRY) {
      runs.push({
        variant: `postgres+batch, before${suffix}`,
        target: "real",
        scenario: "throughput",
        db: "postgres",
        env: { SEND_BATCHING: "on" },
        entry: BEFORE_ENTRY,
        pinned,
      });
    }
    real("postgres, one-by-one", "postgres", { SEND_BATCHING: "off" }, ["throughput"]);
  }
  // Scale-out is about using more cores: only where the server is not confined to one.
  if (SCALE !== "off" && !pinned) {
    // Same load, served by N worker processes behind one port, or by two nodes over Redis.
    const scale = (variant: string, base: RunSpec, extra: Partial<RunSpec>, scenarios: Scenario[]) => {
      for (const scenario of scenarios)
        runs.push({ ...base, ...extra, variant: `${variant}${suffix}`, scenario, baseline: base.variant });
    };
    const sqlite = runs.find((r) => r.variant === `sqlite full+batch${suffix}`) as RunSpec;
    const postgres = runs.find((r) => r.variant === `postgres+batch${suffix}`);
    const workers = String(SCALE_WORKERS);
    scale("sqlite 1 worker", sqlite, { args: ["--workers", "1"] }, ["throughput"]);
    scale(`sqlite ${workers} workers`, sqlite, { args: ["--workers", workers] }, both);
    if (postgres) {
      scale(`postgres ${workers} workers`, postgres, { args: ["--workers", workers] }, both);
      if (REDIS_URL) scale("postgres 2 nodes over redis", postgres, { nodes: 2 }, both);
    }
  }
  // The baseline again at the end: the ratio uses the mean of both, and their spread shows the noise.
  runs.push({ variant: `${BARE}${suffix}`, target: "bare", role: "bare", scenario: "throughput", pinned });
  const baselines = new Set(runs.flatMap((r) => (r.baseline ? [r.baseline, r.variant] : [])));
  const chosen = runs.filter(
    (r) =>
      r.role ||
      ((ONLY.length === 0 || ONLY.some((o) => `${r.variant} ${r.scenario}`.includes(o))) &&
        (SCALE !== "only" || baselines.has(r.variant))),
  );
  return chosen.filter((r, i) => r !== runs.at(-1) || chosen.some((x, j) => j < i && !x.role));
}

export function planRuns(options: PlanOptions): RunSpec[] {
  const { pin: PIN, only: ONLY } = options;
  const modes = PIN === "both" ? [true, false] : [PIN === "on"];
  const runs = modes.flatMap((pinned) => planFor(options, pinned));
  // BENCH_ONLY=bare (or durable) runs the baselines alone.
  const onlyBaselines = ONLY.length > 0 && ONLY.every((o) => BARE.includes(o) || DURABLE.includes(o));
  if (onlyBaselines) return runs.filter((r) => ONLY.some((o) => r.variant.includes(o)));
  return runs.some((r) => !r.role) ? runs : [];
}
