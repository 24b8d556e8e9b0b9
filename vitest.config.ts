import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: files run two at a time; each file starts its own servers on port 0.
    maxWorkers: 2,
    reporters: process.env.CI ? ["default"] : ["default"],
  },
});
