// TanStack Query around the IPC calls. Keys are listed here; `ledger-changed` invalidates everything that
// reads the ledger, `workspace-changed` everything.
import { QueryClient, useQuery } from "@tanstack/react-query";
import type { DashboardQuery } from "../bindings";
import { setCurrencyExponents } from "./format";
import * as ipc from "../ipc";

export const keys = {
  appInfo: ["app_info"] as const,
  ledgerStatus: ["ledger_status"] as const,
  dashboard: (q: DashboardQuery) => ["dashboard", q] as const,
  batches: ["batches"] as const,
  formats: ["formats"] as const,
  mappings: ["mappings"] as const,
  platformsHeld: ["platforms_held"] as const,
  connectable: ["connectable_platforms"] as const,
  connections: ["connections"] as const,
  health: ["health"] as const,
  settings: ["settings"] as const,
  emailAlerts: ["email_alerts"] as const,
  timeZone: ["time_zone"] as const,
  preview: (path: string, format: string | null, id: number) => ["preview", path, format, id] as const,
  csvSample: (path: string) => ["csv_sample", path] as const,
  previewMapping: (path: string, draft: unknown) => ["preview_mapping", path, draft] as const,
};

/** Queries that do not read the ledger. Previews (dry runs) do: a change behind one (an undo, the CLI)
 * changes what the file would add, so they are refetched too. */
const NOT_LEDGER = new Set(["csv_sample", "settings"]);

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false, staleTime: 5_000 },
      mutations: { retry: false },
    },
  });
}

export function invalidateLedger(client: QueryClient): Promise<void> {
  return client.invalidateQueries({
    predicate: (q) => !NOT_LEDGER.has(String(q.queryKey[0])),
  });
}

const appInfoQuery = {
  queryKey: keys.appInfo,
  queryFn: async () => {
    const info = await ipc.appInfo();
    setCurrencyExponents(info.currency_exponents ?? {});
    return info;
  },
};
const dashboardQuery = (q: DashboardQuery) => ({ queryKey: keys.dashboard(q), queryFn: () => ipc.dashboard(q) });

/** What the dashboard shows first: this month, by day. */
export const FIRST_DASHBOARD: DashboardQuery = { period: "this_month", from: null, to: null, bucket: "day" };

/** Asks for the first screen's data before the first render: the dashboard is read while the window
 * draws its frame, instead of after the app's summary has come back and been drawn (on an empty ledger
 * it answers at once, with nothing). The start to the dashboard, docs/benchmarks.md. */
export function prefetchFirstScreen(client: QueryClient): void {
  void client.prefetchQuery(appInfoQuery);
  void client.prefetchQuery(dashboardQuery(FIRST_DASHBOARD));
}

export const useAppInfo = () => useQuery(appInfoQuery);
/** The ledger's counts; only Settings shows them (counting grows with the ledger, so the start skips it). */
export const useLedgerStatus = () => useQuery({ queryKey: keys.ledgerStatus, queryFn: ipc.ledgerStatus });
export const useBatches = () => useQuery({ queryKey: keys.batches, queryFn: ipc.listBatches });
export const useTimeZone = () => useQuery({ queryKey: keys.timeZone, queryFn: ipc.timeZone, staleTime: Infinity });
/** Every connection's health; asked again each half minute as well, so "next run in 4 min" and a
 * stale connection keep true while nothing changes in the ledger. */
export const useHealth = () => useQuery({ queryKey: keys.health, queryFn: ipc.health, refetchInterval: 30_000 });
export const useSettings = () => useQuery({ queryKey: keys.settings, queryFn: ipc.getSettings, staleTime: Infinity });
export const useDashboard = (q: DashboardQuery, enabled: boolean) =>
  useQuery({ ...dashboardQuery(q), enabled, placeholderData: (prev) => prev });
