// A connection's health in the window's words and colours, one table for the Health page, the
// Integrations cards and the sidebar, so that a state is called the same everywhere. The colour is
// never the only signal: every light has its words.
import type { ConnectionHealth, HealthFix, HealthLevel, HealthState, RecentRun } from "../bindings";
import { formatDay, formatRelative } from "./format";
import { platformName } from "./platforms";

export interface StateLook {
  label: string;
  /** The status light's class. */
  dot: string;
  /** The words' class. */
  text: string;
}

const LOOKS: Record<HealthState, StateLook> = {
  healthy: { label: "Healthy", dot: "bg-positive", text: "text-fg" },
  syncing: { label: "Syncing", dot: "bg-accent animate-pulse", text: "text-fg" },
  rate_limited: { label: "Rate-limited", dot: "bg-warning", text: "text-warning" },
  stale: { label: "Stale", dot: "bg-warning", text: "text-warning" },
  failing: { label: "Failing", dot: "bg-negative", text: "text-negative" },
  needs_reconnect: { label: "Needs reconnecting", dot: "bg-negative", text: "text-negative" },
  paused: { label: "Paused", dot: "bg-subtle", text: "text-muted" },
  disconnected: { label: "Disconnected", dot: "border border-subtle", text: "text-muted" },
};

/** How a connection's state looks; "Paused by Tributary" when it paused itself after its failures. */
export function stateLook(h: Pick<ConnectionHealth, "state" | "paused_by">): StateLook {
  const look = LOOKS[h.state];
  if (h.state === "paused" && h.paused_by === "tributary") return { ...look, label: "Paused by Tributary", dot: "bg-negative", text: "text-negative" };
  return look;
}

export const LEVEL_DOT: Record<HealthLevel, string> = {
  normal: "bg-positive",
  attention: "bg-warning",
  error: "bg-negative",
};

/** The fix as a button says it. */
export const FIX_LABEL: Record<HealthFix, string> = {
  reconnect: "Reconnect",
  check_permissions: "Check now",
  wait: "Wait",
  retry_now: "Retry now",
  resume: "Resume",
};

/** The connection as a creator names it: "Gumroad", or "Gumroad (shop-2)" (as the tray does). */
export function shownName(h: Pick<ConnectionHealth, "connection" | "platform">): string {
  const platform = platformName(h.platform);
  return h.connection === h.platform ? platform : `${platform} (${h.connection})`;
}

/** "1.2 s", "840 ms", "2 min 5 s". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
}

/** "98 %" of a 0–1 rate, or "—" without runs. */
export function formatRate(rate: number | null | undefined): string {
  if (rate == null) return "—";
  return new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: rate > 0.99 && rate < 1 ? 1 : 0 }).format(rate);
}

/** "every hour", "every 15 min", "every day". */
export function formatEvery(secs: number): string {
  if (secs % 86_400 === 0) return secs === 86_400 ? "every day" : `every ${secs / 86_400} days`;
  if (secs % 3600 === 0) return secs === 3600 ? "every hour" : `every ${secs / 3600} hours`;
  return `every ${Math.round(secs / 60)} min`;
}

/** The intervals a connection can sync at (15 minutes to a day). */
export const INTERVALS: { secs: number; label: string }[] = [
  { secs: 900, label: "Every 15 minutes" },
  { secs: 1800, label: "Every 30 minutes" },
  { secs: 3600, label: "Every hour" },
  { secs: 3 * 3600, label: "Every 3 hours" },
  { secs: 6 * 3600, label: "Every 6 hours" },
  { secs: 12 * 3600, label: "Every 12 hours" },
  { secs: 86_400, label: "Every day" },
];

/** A run's status in words. */
export function runStatusWords(run: RecentRun): string {
  switch (run.status) {
    case "succeeded":
      return "Succeeded";
    case "failed":
      return "Failed";
    case "running":
      return "Running";
    case "interrupted":
      return "Interrupted";
    case "undone":
      return "Undone";
    default:
      return run.status;
  }
}

/** When it syncs next: "in 12 minutes", "Due now", "Syncing now", "Paused" (by whom), or "—" while
 * it cannot sync (it needs a reconnect). */
export function nextRunWords(h: Pick<ConnectionHealth, "state" | "paused_by" | "next_at">, now = Date.now(), allPaused = false): string {
  if (h.state === "syncing") return "Syncing now";
  if (h.state === "paused") return h.paused_by === "tributary" ? "Paused by Tributary" : "Paused";
  // Syncing paused as a whole: nothing is scheduled, whatever the connection's own state.
  if (allPaused && h.state !== "needs_reconnect" && h.state !== "disconnected") return "Paused";
  if (!h.next_at) return "—";
  return new Date(h.next_at).getTime() <= now ? "Due now" : formatRelative(h.next_at, now);
}

/** When a key or token stops working: "in 3 days" when soon, else the day ("Jun 30, 2027"); "—"
 * when the platform gives no expiry. */
export function expiryWords(instant: string | null, now = Date.now()): string {
  if (!instant) return "—";
  const left = new Date(instant).getTime() - now;
  return left < 7 * 86_400_000 ? formatRelative(instant, now) : formatDay(instant.slice(0, 10));
}
