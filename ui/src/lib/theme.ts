// Applies the theme to <html>: class "dark" when dark is in effect and data-theme="light|dark".
// "system" follows prefers-color-scheme live. The last choice is remembered locally so the first paint
// is right before settings arrive from the backend.
import type { Theme } from "../bindings";

const STORAGE_KEY = "tributary.theme";
let mediaCleanup: (() => void) | null = null;

function systemDark(): boolean {
  return typeof window.matchMedia === "function" && window.matchMedia("(prefers-color-scheme: dark)").matches;
}

function paint(dark: boolean): void {
  const root = document.documentElement;
  root.classList.toggle("dark", dark);
  root.dataset.theme = dark ? "dark" : "light";
  root.style.colorScheme = dark ? "dark" : "light";
}

export function applyTheme(theme: Theme): void {
  mediaCleanup?.();
  mediaCleanup = null;
  if (theme === "system") {
    paint(systemDark());
    if (typeof window.matchMedia === "function") {
      const mq = window.matchMedia("(prefers-color-scheme: dark)");
      const onChange = () => paint(mq.matches);
      mq.addEventListener?.("change", onChange);
      mediaCleanup = () => mq.removeEventListener?.("change", onChange);
    }
  } else {
    paint(theme === "dark");
  }
  try {
    localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    /* storage unavailable: fine */
  }
}

export function rememberedTheme(): Theme {
  try {
    const t = localStorage.getItem(STORAGE_KEY);
    if (t === "light" || t === "dark" || t === "system") return t;
  } catch {
    /* ignore */
  }
  return "system";
}
