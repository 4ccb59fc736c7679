import { useSyncExternalStore } from "react";

function subscribe(cb: () => void) {
  const obs = new MutationObserver(cb);
  obs.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme", "class"] });
  return () => obs.disconnect();
}
const snap = () => (document.documentElement.classList.contains("dark") ? "dark" : "light");

/** "light" | "dark": the theme in effect on <html>, for canvas drawing that reads the tokens. */
export function useResolvedTheme(): "light" | "dark" {
  return useSyncExternalStore(subscribe, snap, snap);
}
