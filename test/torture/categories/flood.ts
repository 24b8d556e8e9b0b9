import type { Category } from "../lib/category.js";

export const flood: Category = {
  name: "flood",
  budgetMs: () => 10_000,
  async run(_ctx, report) {
    report.fail("not built yet");
  },
};
