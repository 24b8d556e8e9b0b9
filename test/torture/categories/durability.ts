import type { Category } from "../lib/category.js";

export const durability: Category = {
  name: "durability",
  budgetMs: () => 10_000,
  async run(_ctx, report) {
    report.fail("not built yet");
  },
};
