import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { SyncReport } from "../bindings";
import * as fx from "../mock/fixtures";
import { renderApp } from "./harness";

/** Handlers for a workspace with Gumroad healthy, Lemon Squeezy refused, Stripe rate-limited, Whop failing. */
function troubled(over: Record<string, unknown> = {}) {
  const { records, health } = fx.troubledConnections();
  const report: SyncReport = { connection: "whop", platform: "whop", run_id: 9, dry_run: false, pages: 1, inserted: 3, updated: 0, duplicates: 12, rejected: 0, requests: 2, retries: 0, added: [], errors: [], failure: null, stopped: false };
  return {
    connectable_platforms: fx.connectablePlatforms(),
    list_connections: records,
    health: fx.healthView(health),
    sync_connection: report,
    check_connection: (a: Record<string, unknown>) => ({ connection: a.name, accepted: true, account: "Ana's Studio", failure: null, needs_reconnect: false, checked_at: "2026-11-24T09:46:00Z", duration_ms: 310 }),
    set_connection_paused: (a: Record<string, unknown>) => ({ connection_id: 1, name: a.name, every_secs: 3600, paused_by: a.paused ? "person" : null, next_at: null }),
    set_sync_every: (a: Record<string, unknown>) => ({ connection_id: 4, name: a.name, every_secs: a.everySecs, paused_by: null, next_at: "2026-11-24T10:00:00Z" }),
    ...over,
  };
}

const row = (name: string) => screen.getAllByTestId("health-row").find((r) => r.dataset.connection === name)!;

describe("Health", () => {
  it("shows each connection's state in words, and the line about all of them", async () => {
    renderApp(troubled(), "health");
    await waitFor(() => expect(screen.getAllByTestId("health-row")).toHaveLength(4));
    expect(screen.getByTestId("page-health")).toHaveAttribute("data-state", "data");
    expect(within(row("gumroad")).getByTestId("health-state")).toHaveTextContent("Healthy");
    expect(within(row("lemonsqueezy")).getByTestId("health-state")).toHaveTextContent("Needs reconnecting");
    expect(within(row("stripe")).getByTestId("health-state")).toHaveTextContent("Rate-limited");
    // Five failures in a row is the warning; the row says how many.
    expect(within(row("whop")).getByTestId("health-state")).toHaveTextContent("Failing");
    expect(within(row("whop")).getByTestId("health-warning")).toHaveTextContent("6 failures in a row");
    expect(within(row("stripe")).queryByTestId("health-warning")).not.toBeInTheDocument();
    expect(within(row("whop")).getByTestId("run-sparkline")).toHaveAttribute("data-failed", "6");
    expect(within(row("gumroad")).getByTestId("run-sparkline")).toHaveAttribute("data-runs", "30");

    const banner = screen.getByTestId("health-banner");
    expect(banner).toHaveAttribute("data-level", "error");
    expect(screen.getByTestId("health-banner-line")).toHaveTextContent("2 connections need attention: Lemon Squeezy, Whop");
    // The sidebar says the same line as the banner (and as the tray).
    expect(screen.getByTestId("sync-state-line")).toHaveTextContent("2 connections need attention: Lemon Squeezy, Whop");
    // Each connection in trouble has its fix; a rate limit only waits, and says until when.
    const fixes = within(banner).getAllByTestId("fix").map((f) => f.dataset.fix);
    expect(fixes).toEqual(["reconnect", "wait", "retry_now"]);
    expect(within(banner).getByRole("button", { name: "Retry now Whop" })).toBeInTheDocument();
    expect(banner).toHaveTextContent("Waits until");
  });

  it("runs the fix the banner offers: Retry now syncs, Reconnect opens Integrations", async () => {
    const r = renderApp(troubled(), "health");
    const banner = await screen.findByTestId("health-banner");
    fireEvent.click(within(banner).getByRole("button", { name: "Retry now Whop" }));
    await waitFor(() => expect(r.called("sync_connection")).toHaveLength(1));
    expect(r.called("sync_connection")[0]?.args.name).toBe("whop");
    await waitFor(() => expect(screen.getByTestId("toast")).toHaveTextContent("Whop synced"));
    expect(screen.getByTestId("toast")).toHaveTextContent("3 new events.");
    // The page reads the health again after the sync.
    await waitFor(() => expect(r.called("health").length).toBeGreaterThan(1));

    fireEvent.click(within(banner).getByRole("button", { name: "Reconnect Lemon Squeezy" }));
    await waitFor(() => expect(screen.getByTestId("page-integrations")).toBeInTheDocument());
  });

  it("opens a row: figures, Check now, Pause and the run history", async () => {
    const r = renderApp(troubled(), "health");
    await waitFor(() => expect(screen.getAllByTestId("health-row")).toHaveLength(4));
    fireEvent.click(within(row("whop")).getByTestId("health-expand"));
    expect(within(row("whop")).getByTestId("health-expand")).toHaveAttribute("aria-expanded", "true");
    const detail = screen.getByTestId("health-detail");
    expect(detail).toHaveAttribute("data-connection", "whop");
    expect(screen.getByTestId("health-sentence")).toHaveTextContent("Whop failed 6 times in a row: Whop answered 502 Bad Gateway");
    const runs = within(detail).getAllByTestId("run-row");
    expect(runs).toHaveLength(30);
    expect(runs.filter((x) => x.dataset.status === "failed")).toHaveLength(6);
    expect(runs[0]).toHaveTextContent("Whop answered 502 Bad Gateway to GET /api/v2/payments?page=3 (request 4)");
    expect(detail).toHaveTextContent("every hour");

    fireEvent.click(within(detail).getByTestId("check-now"));
    await waitFor(() => expect(r.called("check_connection")[0]?.args).toEqual({ name: "whop" }));
    await waitFor(() => expect(screen.getByTestId("toast")).toHaveTextContent("Whop accepts the key"));

    fireEvent.click(within(detail).getByTestId("pause"));
    await waitFor(() => expect(r.called("set_connection_paused")[0]?.args).toEqual({ name: "whop", paused: true }));
  });

  it("says in words when a check finds the key refused", async () => {
    renderApp(
      troubled({
        check_connection: { connection: "gumroad", accepted: false, account: null, failure: { class: "authentication", code: "platform_refused_credential", request: "GET /v2/user (request 1)", message: "Gumroad refused the access token (401).", retry_after_ms: null }, needs_reconnect: true, checked_at: "2026-11-24T09:46:00Z", duration_ms: 200 },
      }),
      "health",
    );
    await waitFor(() => expect(screen.getAllByTestId("health-row")).toHaveLength(4));
    fireEvent.click(within(row("gumroad")).getByTestId("health-expand"));
    fireEvent.click(screen.getByTestId("check-now"));
    await waitFor(() => expect(screen.getByTestId("toast")).toHaveTextContent("Gumroad refused the key"));
    expect(screen.getByTestId("toast")).toHaveTextContent("Gumroad refused the access token (401). Reconnect it on Integrations.");
  });

  it("a paused connection offers Resume, and the banner stays quiet when all is well", async () => {
    const paused = fx.connectionHealth({ state: "paused", paused_by: "person", next_at: null });
    const r = renderApp({ ...troubled(), health: fx.healthView([paused]) }, "health");
    await waitFor(() => expect(screen.getAllByTestId("health-row")).toHaveLength(1));
    expect(screen.queryByTestId("health-banner")).not.toBeInTheDocument();
    expect(within(row("gumroad")).getByTestId("health-state")).toHaveTextContent("Paused");
    fireEvent.click(within(row("gumroad")).getByTestId("health-expand"));
    fireEvent.click(screen.getByTestId("resume"));
    await waitFor(() => expect(r.called("set_connection_paused")[0]?.args).toEqual({ name: "gumroad", paused: false }));
  });

  it("with one connection in trouble, the banner says what once: its line, then why", async () => {
    const refused = fx.connectionHealth({
      connection: "lemonsqueezy",
      platform: "lemonsqueezy",
      state: "needs_reconnect",
      fix: "reconnect",
      sentence: "Lemon Squeezy needs reconnecting: Lemon Squeezy refused this API key (401): it is wrong, expired or was deleted",
    });
    renderApp({ ...troubled(), health: fx.healthView([refused], "Lemon Squeezy needs reconnecting") }, "health");
    const banner = await screen.findByTestId("health-banner");
    expect(screen.getByTestId("health-banner-line")).toHaveTextContent("Lemon Squeezy needs reconnecting");
    expect(banner).toHaveTextContent("Lemon Squeezy refused this API key (401): it is wrong, expired or was deleted");
    expect(banner.textContent?.match(/needs reconnecting/g)).toHaveLength(1);
  });

  it("says when syncing is paused as a whole, and Resume syncing lifts it", async () => {
    const fine = fx.connectionHealth({});
    let paused = true;
    const r = renderApp(
      {
        ...troubled(),
        health: () => fx.healthView([fine], paused ? "Syncing paused" : undefined, paused),
        set_syncing_paused: (a: Record<string, unknown>) => {
          paused = Boolean(a.paused);
          return paused;
        },
      },
      "health",
    );
    const notice = await screen.findByTestId("health-paused");
    expect(notice).toHaveTextContent("Syncing is paused");
    // Nothing is scheduled while paused, whatever the connection's own next run would be.
    expect(row("gumroad")).toHaveTextContent("Paused");
    fireEvent.click(within(notice).getByTestId("resume-syncing"));
    await waitFor(() => expect(r.called("set_syncing_paused")[0]?.args).toEqual({ paused: false }));
    await waitFor(() => expect(screen.queryByTestId("health-paused")).not.toBeInTheDocument());
    expect(screen.getByTestId("toast")).toHaveTextContent("Syncing resumed");
  });

  it("has no paused notice while syncing goes on", async () => {
    renderApp({ ...troubled(), health: fx.healthView([fx.connectionHealth({})]) }, "health");
    await waitFor(() => expect(screen.getAllByTestId("health-row")).toHaveLength(1));
    expect(screen.queryByTestId("health-paused")).not.toBeInTheDocument();
  });

  it("says so when the health cannot be read", async () => {
    renderApp({ health: () => Promise.reject({ code: "storage", message: "The ledger could not be read: disk I/O error", hint: null }) }, "health");
    expect(await screen.findByText("Could not read the connections' health")).toBeInTheDocument();
    expect(screen.getByTestId("page-health")).toHaveAttribute("data-state", "error");
  });
});

describe("Integrations cards with connections", () => {
  it("show the health state, its sentence, and a schedule that changes the interval", async () => {
    const r = renderApp(troubled(), "integrations");
    const whop = await screen.findByTestId("integration-whop");
    await waitFor(() => expect(within(whop).getByTestId("connection-health")).toHaveTextContent("Failing"));
    expect(within(whop).getByTestId("connection-sentence")).toHaveTextContent("Whop failed 6 times in a row");
    const every = within(whop).getByTestId("schedule-every");
    expect(every).toHaveValue("3600");
    fireEvent.change(every, { target: { value: "900" } });
    await waitFor(() => expect(r.called("set_sync_every")[0]?.args).toEqual({ name: "whop", everySecs: 900 }));
    fireEvent.click(within(whop).getByTestId("schedule-pause"));
    await waitFor(() => expect(r.called("set_connection_paused")[0]?.args).toEqual({ name: "whop", paused: true }));

    const stripe = screen.getByTestId("integration-stripe");
    expect(within(stripe).getByTestId("connection-health")).toHaveTextContent("Rate-limited");
    // A refused key brings back the key form, with why.
    const ls = screen.getByTestId("integration-lemonsqueezy");
    expect(within(ls).getByTestId("needs-reconnect")).toBeInTheDocument();
    expect(within(ls).getByTestId("connect-key")).toBeInTheDocument();
  });
});
