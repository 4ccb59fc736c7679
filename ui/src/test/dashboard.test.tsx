import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import * as fx from "../mock/fixtures";
import { emitEvent, pending, renderApp } from "./harness";

const page = () => screen.getByTestId("page-dashboard");

describe("Dashboard", () => {
  it("shows skeletons while loading", async () => {
    renderApp({ dashboard: pending });
    await waitFor(() => expect(screen.getByTestId("period-this_month")).toBeInTheDocument());
    expect(page()).toHaveAttribute("data-state", "loading");
  });

  it("shows the first-run empty state and loads the demo", async () => {
    let info = fx.appInfo({ has_events: false });
    const r = renderApp({
      app_info: () => info,
      load_demo: () => {
        info = fx.appInfo({ workspace: "demo" });
        return info;
      },
    });
    await waitFor(() => expect(page()).toHaveAttribute("data-state", "empty"));
    expect(screen.getByTestId("empty-state")).toHaveTextContent("Drop a report file");
    expect(screen.getByTestId("empty-state")).toHaveTextContent("Connect a platform");
    fireEvent.click(screen.getByTestId("load-demo"));
    await waitFor(() => expect(screen.getByTestId("demo-banner")).toHaveTextContent("You're looking at demo data"));
    expect(r.called("load_demo")).toHaveLength(1);
    await waitFor(() => expect(page()).toHaveAttribute("data-state", "data"));
    // The demo's files end on the day they were made: it opens on all of its time, by month.
    const asked = r.called("dashboard").at(-1)!.args.query as { period: string; bucket: string };
    expect(asked).toMatchObject({ period: "all_time", bucket: "month" });
  });

  it("shows the figures per currency, the chart and the estimated marker", async () => {
    const data = fx.dashboard({ period: "this_month", from: null, to: null, bucket: "day" });
    renderApp({ dashboard: data });
    await waitFor(() => expect(page()).toHaveAttribute("data-state", "data"));
    const usd = data.totals.find((t) => t.currency === "USD")!;
    const net = screen.getAllByTestId("total-net").find((e) => e.dataset.currency === "USD")!;
    expect(net).toHaveAttribute("data-minor", String(usd.net_minor));
    const jpy = screen.getAllByTestId("total-net").find((e) => e.dataset.currency === "JPY")!;
    expect(jpy.textContent).toMatch(/¥[\d,]+(?!\.)/);
    const refunds = screen.getAllByTestId("total-refunds").find((e) => e.dataset.currency === "USD")!;
    expect(refunds.textContent).toMatch(/-\$/);
    expect(screen.getAllByTestId("total-sales")).toHaveLength(3);
    expect(screen.getAllByTestId("total-fees")).toHaveLength(3);
    // Every currency's line adds up: Sales − Refunds − Fees = Net, with the figures the cards show.
    const lines = screen.getAllByTestId("figures-identity");
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      const t = data.totals.find((f) => f.currency === line.dataset.currency)!;
      const amount = (key: string) => Number(line.querySelector(`[data-figure="${key}"]`)?.getAttribute("data-minor") ?? NaN);
      expect(amount("sales_minor") - amount("refunds_minor") - amount("fees_minor")).toBe(amount("net_minor"));
      expect(amount("net_minor")).toBe(t.net_minor);
    }
    expect(screen.getByTestId("revenue-chart")).toBeInTheDocument();
    expect(within(screen.getByTestId("revenue-chart")).getByTestId("uplot")).toBeInTheDocument();
    expect(screen.getByTestId("estimated-badge")).toHaveTextContent("estimated");
    expect(screen.getByText("Top products")).toBeInTheDocument();
    expect(screen.getByText("By country")).toBeInTheDocument();
  });

  it("one currency shows four cards with the change vs the previous period", async () => {
    const one = {
      ...fx.dashboard({ period: "this_month", from: null, to: null, bucket: "day" }),
      totals: [{ currency: "USD", sales_minor: 20000, refunds_minor: 2500, chargebacks_minor: 0, fees_minor: 1000, adjustments_minor: 0, net_minor: 16500, units: 12, kenp_pages: 0, events: 14, estimated_events: 0 }],
      previous: [{ currency: "USD", sales_minor: 16000, refunds_minor: 0, chargebacks_minor: 0, fees_minor: 1000, adjustments_minor: 0, net_minor: 15000, units: 10, kenp_pages: 0, events: 10, estimated_events: 0 }],
      estimated_months: [],
    };
    renderApp({ dashboard: one });
    await waitFor(() => expect(page()).toHaveAttribute("data-state", "data"));
    expect(screen.getByTestId("total-net")).toHaveTextContent("$165.00");
    expect(screen.getByTestId("total-net")).toHaveTextContent("+10%");
    expect(screen.getByTestId("total-refunds")).toHaveTextContent("-$25.00");
    expect(screen.getByTestId("total-sales")).toHaveTextContent("$200.00");
    expect(screen.getByTestId("total-sales")).toHaveTextContent("12 units");
    expect(screen.getByTestId("total-fees")).toHaveTextContent("-$10.00");
    expect(screen.getByTestId("figures-identity")).toHaveTextContent("Sales $200.00 − Refunds $25.00 − Fees $10.00 = Net $165.00");
    expect(screen.queryByTestId("estimated-badge")).not.toBeInTheDocument();
  });

  it("offers whole last months, for platforms that report late", async () => {
    const r = renderApp();
    await waitFor(() => expect(page()).toHaveAttribute("data-state", "data"));
    fireEvent.click(screen.getByTestId("period-last_month"));
    await waitFor(() => expect(r.called("dashboard").at(-1)!.args.query).toMatchObject({ period: "last_month", bucket: "day" }));
    fireEvent.click(screen.getByTestId("period-last_12_months"));
    await waitFor(() => expect(r.called("dashboard").at(-1)!.args.query).toMatchObject({ period: "last_12_months", bucket: "month" }));
  });

  it("says how current each platform is, and a period with nothing yet offers the newest data", async () => {
    const coverage = [
      { platform: "kdp", first_day: "2025-01-02", last_day: "2025-11-20" },
      { platform: "stripe", first_day: "2025-03-01", last_day: "2025-10-31" },
    ];
    const empty = { ...fx.dashboard({ period: "this_month", from: null, to: null, bucket: "day" }), totals: [], previous: [], series: [], products: [], platforms: [], countries: [], estimated_months: [], coverage };
    const r = renderApp({ dashboard: (a: Record<string, unknown>) => ((a.query as { period: string }).period === "custom" ? fx.dashboard(a.query as never, { coverage }) : empty) });
    await waitFor(() => expect(screen.getByTestId("period-empty")).toHaveTextContent("Your newest figures are from Nov 20, 2025 (Amazon KDP)"));
    fireEvent.click(screen.getByTestId("show-newest"));
    await waitFor(() => expect(r.called("dashboard").at(-1)!.args.query).toEqual({ period: "custom", from: "2025-11-01", to: "2025-11-30", bucket: "day" }));
    await waitFor(() => expect(screen.getByTestId("coverage")).toHaveTextContent("Data through Amazon KDP Nov 20, 2025 · Stripe Oct 31, 2025"));
  });

  it("a comparison with a period the ledger only partly has says so instead of a percentage", async () => {
    const data = fx.dashboard({ period: "last_12_months", from: null, to: null, bucket: "month" }, { comparison_partial: true });
    renderApp({ dashboard: data });
    await waitFor(() => expect(page()).toHaveAttribute("data-state", "data"));
    expect(screen.getAllByTestId("change-partial").length).toBeGreaterThan(0);
    expect(screen.getAllByTestId("total-net")[0]).not.toHaveTextContent("%");
  });

  it("shows the backend's message and hint, and retries", async () => {
    let fail = true;
    const r = renderApp({
      dashboard: (a: Record<string, unknown>) => {
        if (fail) throw { code: "ledger", message: "ledger.sqlite3 could not be read", hint: "Restore it from a backup." };
        return fx.dashboard(a.query as never);
      },
    });
    await waitFor(() => expect(page()).toHaveAttribute("data-state", "error"));
    expect(screen.getByTestId("error-message")).toHaveTextContent("ledger.sqlite3 could not be read");
    expect(screen.getByTestId("error-hint")).toHaveTextContent("Restore it from a backup.");
    fail = false;
    fireEvent.click(screen.getByRole("button", { name: /retry/i }));
    await waitFor(() => expect(page()).toHaveAttribute("data-state", "data"));
    expect(r.called("dashboard").length).toBeGreaterThanOrEqual(2);
  });

  it("asks for the picked period and grouping", async () => {
    const r = renderApp();
    await waitFor(() => expect(page()).toHaveAttribute("data-state", "data"));
    fireEvent.click(screen.getByTestId("period-this_year"));
    await waitFor(() => expect(r.called("dashboard").some((c) => (c.args.query as { period: string }).period === "this_year")).toBe(true));
    fireEvent.click(screen.getByTestId("bucket-month"));
    await waitFor(() => expect(r.called("dashboard").some((c) => (c.args.query as { bucket: string }).bucket === "month")).toBe(true));
    fireEvent.click(screen.getByTestId("period-custom"));
    await waitFor(() => expect(r.called("dashboard").some((c) => (c.args.query as { period: string; from: string | null }).period === "custom" && !!(c.args.query as { from: string }).from)).toBe(true));
    expect(screen.getByTestId("custom-from")).toBeInTheDocument();
  });

  it("shows the chart's figures as a table, per currency, without summing currencies", async () => {
    renderApp({ dashboard: fx.dashboard({ period: "this_month", from: null, to: null, bucket: "day" }) });
    await waitFor(() => expect(page()).toHaveAttribute("data-state", "data"));
    fireEvent.click(screen.getByTestId("view-table"));
    const table = await screen.findByTestId("revenue-table");
    expect(table.querySelectorAll("tbody tr").length).toBeGreaterThan(0);
    // Each bucket's figures add up as the cards' do.
    for (const row of table.querySelectorAll("tbody tr")) {
      const amount = (key: string) => Number(row.querySelector(`[data-figure="${key}"]`)?.getAttribute("data-minor") ?? NaN);
      expect(amount("sales_minor") - amount("refunds_minor") - amount("fees_minor")).toBe(amount("net_minor"));
    }
    expect(table).toHaveTextContent("Refunds");
    expect(screen.queryByTestId("revenue-chart")).not.toBeInTheDocument();
  });

  it("saves the table on screen as CSV where the save dialog says", async () => {
    const r = renderApp({ dashboard: fx.dashboard({ period: "this_month", from: null, to: null, bucket: "day" }), "plugin:dialog|save": "/home/ana/chart.csv", export_table: 3 });
    await waitFor(() => expect(page()).toHaveAttribute("data-state", "data"));
    fireEvent.click(screen.getByTestId("view-table"));
    fireEvent.click(await screen.findByTestId("save-table"));
    await waitFor(() => expect(r.called("export_table")).toHaveLength(1));
    const { path, rows } = r.called("export_table")[0]!.args as { path: string; rows: string[][] };
    expect(path).toBe("/home/ana/chart.csv");
    expect(["Day", "Week of", "Month"]).toContain(rows[0]![0]);
    expect(rows[0]![1]).toBe("Currency");
    expect(rows[0]!.slice(-4)).toEqual(["Sales", "Refunds", "Fees", "Net"]);
    // Plain decimals, each row adding up as the screen's does.
    for (const row of rows.slice(1)) {
      const [sales, refunds, fees, net] = row.slice(-4).map(Number);
      expect(Math.round((sales! + refunds! + fees!) * 100)).toBe(Math.round(net! * 100));
      expect(row[1]).toBe("USD");
    }
    await waitFor(() => expect(screen.getByTestId("toast")).toHaveTextContent("3 rows in /home/ana/chart.csv"));
  });

  it("legend toggles a platform off and on", async () => {
    renderApp();
    await waitFor(() => expect(page()).toHaveAttribute("data-state", "data"));
    const stripe = screen.getByTestId("legend-stripe");
    expect(stripe).toHaveAttribute("aria-pressed", "true");
    const before = Number(within(screen.getByTestId("revenue-chart")).getByTestId("uplot").dataset.series);
    fireEvent.click(stripe);
    expect(stripe).toHaveAttribute("aria-pressed", "false");
    await waitFor(() => expect(Number(within(screen.getByTestId("revenue-chart")).getByTestId("uplot").dataset.series)).toBe(before - 1));
  });

  it("refetches when the ledger changes and leaves the demo", async () => {
    let info = fx.appInfo({ workspace: "demo" });
    const r = renderApp({ app_info: () => info, leave_demo: () => (info = fx.appInfo()) });
    await waitFor(() => expect(page()).toHaveAttribute("data-state", "data"));
    const n = r.called("dashboard").length;
    await emitEvent("ledger-changed", null);
    await waitFor(() => expect(r.called("dashboard").length).toBeGreaterThan(n));
    fireEvent.click(screen.getByTestId("leave-demo"));
    await waitFor(() => expect(screen.queryByTestId("demo-banner")).not.toBeInTheDocument());
    expect(r.called("leave_demo")).toHaveLength(1);
  });
});
