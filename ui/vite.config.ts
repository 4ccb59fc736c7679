/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import tailwindcss from "@tailwindcss/vite";

// Tauri serves ui/dist; the dev server is what `tauri dev` points at (devUrl http://localhost:5173).
export default defineConfig({
  plugins: [react(), tailwindcss()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  // `npm run preview` serves the build under the app's CSP, to catch anything the CSP would block.
  preview: { port: 4173, headers: { "Content-Security-Policy": "default-src 'self'; img-src 'self' data:" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // CSP is default-src 'self': no inline module preload polyfill, no data: URLs for assets.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    // One local bundle for a desktop window; nothing is fetched over a network.
    chunkSizeWarningLimit: 800,
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    css: false,
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
