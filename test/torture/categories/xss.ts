import type { Category } from "../lib/category.js";

export const xss: Category = {
  name: "xss",
  budgetMs: () => 10_000,
  async run(_ctx, report) {
    report.fail("not built yet");
  },
};
