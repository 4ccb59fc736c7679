import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, vi } from "vitest";

// uPlot draws on a canvas, which jsdom does not have: a stand-in that records what it was given.
vi.mock("uplot", () => {
  class FakePlot {
    static paths = { bars: () => () => null, linear: () => () => null };
    width: number;
    root: HTMLElement;
    constructor(opts: { width: number; series: unknown[] }, data: unknown[][], el: HTMLElement) {
      this.width = opts.width;
      const canvas = document.createElement("div");
      canvas.dataset.testid = "uplot";
      canvas.dataset.series = String(opts.series.length - 1);
      canvas.dataset.points = String(data[0]?.length ?? 0);
      el.appendChild(canvas);
      this.root = canvas;
    }
    setSize() {}
    destroy() {
      this.root.remove();
    }
  }
  return { default: FakePlot };
});

class RO {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= RO as unknown as typeof ResizeObserver;

if (!window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      addListener: () => undefined,
      removeListener: () => undefined,
      dispatchEvent: () => false,
    }) as MediaQueryList;
}
// Radix uses these; jsdom lacks them.
Element.prototype.hasPointerCapture ??= () => false;
Element.prototype.releasePointerCapture ??= () => undefined;
Element.prototype.scrollIntoView ??= () => undefined;

afterEach(() => {
  cleanup();
  clearMocks();
  document.documentElement.className = "";
  delete document.documentElement.dataset.theme;
  localStorage.clear();
});
