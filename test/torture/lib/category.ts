import type { Context } from "./context.js";
import type { Report } from "./report.js";

export interface Category {
  name: string;
  /** Hard time limit of the whole category (the run's `long` mode may need more). */
  budgetMs(long: boolean): number;
  /** Mostly waits on timers: runs alongside the others. */
  background?: boolean;
  /** Measures latency against its own baseline: runs first, alone on the machine. */
  alone?: boolean;
  /**
   * Figures timed against the shared machine: a run that fails on these alone (and on nothing
   * that must be zero) is measured once more from the start, and both lines are printed.
   */
  timingChecks?: readonly string[];
  run(ctx: Context, report: Report): Promise<void>;
}
