// Every subset Poppins has (latin, latin-ext, devanagari), each with its unicode-range: a browser
// downloads a subset only when the page shows one of its characters.
import "@fontsource/poppins/400.css";
import "@fontsource/poppins/500.css";
import "@fontsource/poppins/600.css";
import "./styles/base.css";
import "./styles/auth.css";
import "./styles/shell.css";
import "./styles/chat.css";
import "./styles/conversations.css";
import "./styles/conversation-panels.css";
import "./features/blocking/blocking.css";
import "./styles/files.css";
import "./styles/polish.css";
import "./features/theme/theme-store.js";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App.js";
import { registerServiceWorker } from "./features/notifications/service-worker.js";
import { i18nReady } from "./i18n/index.js";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");
// The chosen language's catalogue first (a chunk of its own unless English), then the app.
void i18nReady.then(() =>
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
registerServiceWorker();
