import type { Category } from "../lib/category.js";

export const fault: Category = {
  name: "fault",
  budgetMs: () => 10_000,
  async run(_ctx, report) {
    report.fail("not built yet");
  },
};
