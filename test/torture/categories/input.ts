import type { Category } from "../lib/category.js";

export const input: Category = {
  name: "input",
  budgetMs: () => 10_000,
  async run(_ctx, report) {
    report.fail("not built yet");
  },
};
