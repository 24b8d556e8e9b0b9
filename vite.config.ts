import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const backend = "http://127.0.0.1:3000";

export default defineConfig({
  root: "src/web",
  plugins: [react()],
  build: {
    outDir: "../../dist/web",
    emptyOutDir: true,
    target: "es2022",
    // Fonts must stay files (never inlined as data: URIs) so the CSS stays small.
    assetsInlineLimit: 0,
    rolldownOptions: {
      output: {
        // ECharts (lazy: only the Insights page loads it) is one 630 kB chunk, past Vite's 500 kB
        // warning. Its renderer, zrender, goes in a chunk of its own: two cacheable halves that
        // download in parallel, and a first `npm start` shows no warning.
        codeSplitting: {
          groups: [{ name: "zrender", test: /node_modules[\\/]zrender[\\/]/ }],
        },
      },
    },
  },
  server: {
    proxy: {
      "/api": { target: backend, changeOrigin: false },
      "/socket.io": { target: backend, ws: true, changeOrigin: false },
    },
  },
});
