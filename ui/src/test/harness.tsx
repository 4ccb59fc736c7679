// Renders the whole app against a mocked backend: `handlers` answer commands by name (a value, or a
// function of the arguments; a thrown value is the command's rejection). Events are mocked too.
import { QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import { emit } from "@tauri-apps/api/event";
import { mockIPC, mockWindows } from "@tauri-apps/api/mocks";
import { act } from "react";
import { vi } from "vitest";
import App from "../App";
import { resetToasts } from "../components/toast";
import { registerBridge } from "../lib/bridge";
import { clearQueue } from "../lib/importQueue";
import { makeQueryClient } from "../lib/queries";
import { resetRouter, type Page } from "../lib/router";
import * as fx from "../mock/fixtures";

export type Handler = unknown | ((args: Record<string, unknown>) => unknown);

export function defaultHandlers(): Record<string, Handler> {
  return {
    app_info: fx.appInfo(),
    ledger_status: fx.ledgerStatus(),
    dashboard: (a: Record<string, unknown>) => fx.dashboard(a.query as never),
    list_batches: fx.batches(),
    get_settings: fx.settings(),
    set_settings: (a: Record<string, unknown>) => a.settings,
    email_alerts: null,
    take_opened_files: [],
    undo_preview: [],
    platforms_held: [],
    list_mappings: { mappings: [], broken: [] },
    health: fx.healthView([]),
    list_formats: [{ name: "stripe-payments", title: "Stripe payments export (unified_payments.csv)", platform: "stripe" }],
    time_zone: { counted_in: "America/Los_Angeles", chosen: false, system: "America/Los_Angeles", available: ["America/Los_Angeles", "Asia/Tokyo", "UTC"] },
  };
}

export function renderApp(overrides: Record<string, Handler> = {}, page: Page = "dashboard") {
  const handlers = { ...defaultHandlers(), ...overrides };
  const calls: Array<{ cmd: string; args: Record<string, unknown> }> = [];
  const spy = vi.fn();
  mockWindows("main");
  mockIPC(
    async (cmd, args) => {
      const a = (args ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args: a });
      spy(cmd, a);
      if (!(cmd in handlers)) throw { code: "unmocked", message: `no mock for ${cmd}`, hint: null };
      const h = handlers[cmd];
      return typeof h === "function" ? await (h as (a: Record<string, unknown>) => unknown)(a) : h;
    },
    { shouldMockEvents: true },
  );
  resetRouter(page);
  clearQueue();
  resetToasts();
  registerBridge();
  const client = makeQueryClient();
  const utils = render(
    <QueryClientProvider client={client}>
      <App />
    </QueryClientProvider>,
  );
  return { ...utils, calls, spy, client, handlers, called: (cmd: string) => calls.filter((c) => c.cmd === cmd) };
}

export async function emitEvent(name: string, payload: unknown) {
  await act(async () => {
    await emit(name, payload);
  });
}

/** A promise that never settles: a command still running. */
export const pending = () => new Promise<never>(() => undefined);
