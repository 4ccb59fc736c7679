// A tiny state router: the current page lives in a module store, so non-React code (the drop handler,
// window.__tributary) can navigate too.
import { useSyncExternalStore } from "react";

export type Page = "dashboard" | "imports" | "integrations" | "health" | "settings";
export const PAGES: Page[] = ["dashboard", "imports", "integrations", "health", "settings"];

let current: Page = "dashboard";
const listeners = new Set<() => void>();

export function navigate(page: Page): void {
  if (page === current) return;
  current = page;
  listeners.forEach((l) => l());
}

export function currentPage(): Page {
  return current;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function usePage(): Page {
  return useSyncExternalStore(subscribe, currentPage, currentPage);
}

/** For tests. */
export function resetRouter(page: Page = "dashboard"): void {
  current = page;
  listeners.forEach((l) => l());
}
