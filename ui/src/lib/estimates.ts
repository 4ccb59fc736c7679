// Estimates in words: what a file of final figures replaces ("Replaces 44 estimated events of March 2026
// (Amazon.com, Amazon.de) from KDP_Dashboard-2026-03.xlsx"), and what is still estimated with the report
// that would settle it, month by month, as the CLI says it.
import type { EstimatedPeriod } from "../bindings";
import { formatCount, formatMonth } from "./format";
import { plural } from "./plural";

export interface EstimatedMonth {
  month: string;
  events: number;
  marketplaces: string[];
  currencies: string[];
  files: string[];
}

/** The periods grouped by month, in order. */
export function byMonth(periods: readonly EstimatedPeriod[]): EstimatedMonth[] {
  const out: EstimatedMonth[] = [];
  for (const p of periods) {
    let m = out.find((x) => x.month === p.month);
    if (!m) {
      m = { month: p.month, events: 0, marketplaces: [], currencies: [], files: [] };
      out.push(m);
    }
    m.events += p.events;
    if (!m.marketplaces.includes(p.marketplace)) m.marketplaces.push(p.marketplace);
    if (!m.currencies.includes(p.currency)) m.currencies.push(p.currency);
    for (const f of p.files) if (!m.files.includes(f)) m.files.push(f);
  }
  return out;
}

/** "Replaces 44 estimated events of March 2026 (Amazon.com, Amazon.de) from KDP_Dashboard-…", or null. */
export function replacesSentence(periods: readonly EstimatedPeriod[], dryRun: boolean): string | null {
  const months = byMonth(periods);
  if (months.length === 0) return null;
  const parts = months.map(
    (m) =>
      `${formatCount(m.events)} estimated ${plural(m.events, "event", "events")} of ${formatMonth(m.month)} (${m.marketplaces.join(", ")})` +
      (m.files.length ? ` from ${m.files.join(", ")}` : ""),
  );
  return `${dryRun ? "Replaces" : "Replaced"} ${parts.join("; ")}.`;
}
