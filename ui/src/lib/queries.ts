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
  settings: ["settings"] as const,
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

export const useAppInfo = () =>
  useQuery({
    queryKey: keys.appInfo,
    queryFn: async () => {
      const info = await ipc.appInfo();
      setCurrencyExponents(info.currency_exponents ?? {});
      return info;
    },
  });
/** The ledger's counts; only Settings shows them (counting grows with the ledger, so the start skips it). */
export const useLedgerStatus = () => useQuery({ queryKey: keys.ledgerStatus, queryFn: ipc.ledgerStatus });
export const useBatches = () => useQuery({ queryKey: keys.batches, queryFn: ipc.listBatches });
export const useTimeZone = () => useQuery({ queryKey: keys.timeZone, queryFn: ipc.timeZone, staleTime: Infinity });
export const useSettings = () => useQuery({ queryKey: keys.settings, queryFn: ipc.getSettings, staleTime: Infinity });
export const useDashboard = (q: DashboardQuery, enabled: boolean) =>
  useQuery({ queryKey: keys.dashboard(q), queryFn: () => ipc.dashboard(q), enabled, placeholderData: (prev) => prev });
