// Must stay the first import: it repairs navigator.language before anything formats with it.
import "./lib/localeGuard";
import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import App from "./App";
import "./index.css";
import { registerBridge } from "./lib/bridge";
import { makeQueryClient, prefetchFirstScreen } from "./lib/queries";
import { applyTheme, rememberedTheme } from "./lib/theme";

async function boot() {
  // Dev-only mock backend (`?mock`, `?mock=empty`, `?mock=error`…): statically dead in production builds,
  // so the mock module is not in the bundle.
  if (import.meta.env.DEV && new URLSearchParams(window.location.search).has("mock")) {
    const { installDevMock } = await import("./mock/devMock");
    installDevMock(new URLSearchParams(window.location.search));
  }
  applyTheme(rememberedTheme());
  registerBridge();
  const client = makeQueryClient();
  prefetchFirstScreen(client);
  const root = document.getElementById("root");
  if (!root) return;
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={client}>
        <App />
      </QueryClientProvider>
    </StrictMode>,
  );
}

void boot();
