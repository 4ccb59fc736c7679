import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { act } from "react";
import * as fx from "../mock/fixtures";
import { emitEvent, pending, renderApp } from "./harness";

describe("Frame", () => {
  it("navigates with the sidebar and shows the sync state", async () => {
    renderApp();
    for (const p of ["imports", "integrations", "health", "settings", "dashboard"]) {
      fireEvent.click(screen.getByTestId(`nav-${p}`));
      expect(screen.getByTestId(`page-${p}`)).toBeInTheDocument();
      expect(screen.getByTestId(`nav-${p}`)).toHaveAttribute("aria-current", "page");
    }
    fireEvent.click(screen.getByTestId("sync-state"));
    expect(await screen.findByTestId("health-empty")).toHaveTextContent("No connections yet — nothing to check");
  });

  it("shows the drop overlay while dragging and previews the dropped files", async () => {
    renderApp({ preview_import: (a: Record<string, unknown>) => fx.fileImport(String(a.path)) });
    await waitFor(() => expect(screen.getByTestId("page-dashboard")).toBeInTheDocument());
    await emitEvent("tauri://drag-enter", { paths: ["/x/a.csv"], position: { x: 1, y: 1 } });
    expect(screen.getByTestId("drop-overlay")).toHaveTextContent("Drop to preview import");
    await emitEvent("tauri://drag-leave", null);
    expect(screen.queryByTestId("drop-overlay")).not.toBeInTheDocument();
    await emitEvent("tauri://drag-enter", { paths: ["/x/a.csv"], position: { x: 1, y: 1 } });
    await emitEvent("tauri://drag-drop", { paths: ["/x/a.csv", "/x/b.csv"], position: { x: 1, y: 1 } });
    expect(screen.queryByTestId("drop-overlay")).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId("preview")).toHaveTextContent("a.csv"));
    expect(screen.getByTestId("preview")).toHaveTextContent("1 more file waiting");
  });

  it("? opens the shortcuts, Ctrl+O the file dialog", async () => {
    const r = renderApp({ "plugin:dialog|open": ["/d/one.csv"], preview_import: (a: Record<string, unknown>) => fx.fileImport(String(a.path)) });
    fireEvent.keyDown(window, { key: "?" });
    expect(await screen.findByTestId("shortcuts-dialog")).toHaveTextContent("Import files");
    fireEvent.keyDown(document.activeElement ?? document.body, { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("shortcuts-dialog")).not.toBeInTheDocument());
    fireEvent.keyDown(window, { key: "o", ctrlKey: true });
    await waitFor(() => expect(r.called("plugin:dialog|open")).toHaveLength(1));
    await waitFor(() => expect(screen.getByTestId("preview")).toHaveTextContent("one.csv"));
  });

  it("Integrations says what Tributary reads and holds from each platform", async () => {
    renderApp({
      list_formats: [{ name: "stripe-payments", title: "Stripe payments export (unified_payments.csv)", platform: "stripe" }],
      platforms_held: [{ platform: "stripe", events: 1204, first_day: "2025-01-03", last_day: "2026-11-20", last_import: "2026-11-24T08:12:00Z" }],
    }, "integrations");
    const page = screen.getByTestId("page-integrations");
    expect(page).toHaveAttribute("data-state", "empty");
    expect(page).toHaveTextContent("No connections yet");
    for (const name of ["Amazon KDP", "Stripe", "Gumroad", "Lemon Squeezy", "Whop", "Patreon", "Whatnot", "Etsy", "Shopify"]) expect(page).toHaveTextContent(name);
    const stripe = screen.getByTestId("integration-stripe");
    await waitFor(() => expect(within(stripe).getByTestId("integration-held")).toHaveTextContent("1,204 events"));
    expect(within(stripe).getByTestId("integration-reads")).toHaveTextContent("Stripe payments export");
    // A platform Tributary has no reader for says so, and no card offers a connection that does not exist.
    expect(within(screen.getByTestId("integration-etsy")).getByTestId("integration-reads")).toHaveTextContent("through a column mapping");
    expect(within(screen.getByTestId("integration-etsy")).getByTestId("integration-held")).toHaveTextContent("Nothing imported yet");
    expect(screen.queryByRole("button", { name: "Connect" })).not.toBeInTheDocument();
  });

  it("Health lists its columns and links to Integrations", async () => {
    renderApp({}, "health");
    expect(screen.getByRole("columnheader", { name: "Success rate 7 d" })).toBeInTheDocument();
    fireEvent.click(await screen.findByRole("button", { name: /Go to Integrations/ }));
    expect(screen.getByTestId("page-integrations")).toBeInTheDocument();
  });
});

describe("Settings", () => {
  it("exports the ledger to the file the save dialog names", async () => {
    const r = renderApp({ "plugin:dialog|save": "/home/ana/ledger.csv", export_ledger: 5137 }, "settings");
    fireEvent.click(await screen.findByTestId("export-ledger"));
    await waitFor(() => expect(r.called("export_ledger")[0]?.args).toEqual({ path: "/home/ana/ledger.csv" }));
    await waitFor(() => expect(screen.getByTestId("toast")).toHaveTextContent("5,137 events in /home/ana/ledger.csv"));
  });

  it("lists saved mappings to rename or forget, and says why a broken one is left out", async () => {
    let mappings = [{ name: "hausbank", title: "Hausbank CSV", platform: "hausbank" }];
    const r = renderApp({
      list_mappings: () => ({ mappings, broken: [{ name: "old", path: "/m/old.toml", reason: "line 3: expected a table" }] }),
      retitle_mapping: (a: Record<string, unknown>) => {
        mappings = mappings.map((m) => (m.name === a.name ? { ...m, title: String(a.title) } : m));
        return mappings[0];
      },
      remove_mapping: (a: Record<string, unknown>) => {
        mappings = mappings.filter((m) => m.name !== a.name);
        return null;
      },
    }, "settings");
    const row = await screen.findByTestId("mapping-row");
    expect(row).toHaveTextContent("Hausbank CSV");
    expect(screen.getByTestId("mapping-broken")).toHaveTextContent("Not used: line 3: expected a table");
    fireEvent.click(within(row).getByTestId("mapping-rename"));
    fireEvent.change(screen.getByTestId("mapping-title-input"), { target: { value: "Giro account" } });
    fireEvent.click(screen.getByTestId("mapping-title-save"));
    await waitFor(() => expect(r.called("retitle_mapping")[0]!.args).toEqual({ name: "hausbank", title: "Giro account" }));
    await waitFor(() => expect(screen.getByTestId("mapping-title")).toHaveTextContent("Giro account"));
    fireEvent.click(within(screen.getByTestId("mapping-row")).getByTestId("mapping-remove"));
    fireEvent.click(await screen.findByTestId("mapping-remove-confirm"));
    await waitFor(() => expect(r.called("remove_mapping")[0]!.args).toEqual({ name: "hausbank" }));
    await waitFor(() => expect(screen.queryByTestId("mapping-row")).not.toBeInTheDocument());
  });

  it("switches the theme immediately and saves it", async () => {
    const r = renderApp({}, "settings");
    await waitFor(() => expect(screen.getByTestId("page-settings")).toHaveAttribute("data-state", "data"));
    expect(screen.getByTestId("data-dir")).toHaveTextContent("/home/ana/.local/share/tributary");
    fireEvent.click(screen.getByTestId("theme-dark"));
    expect(document.documentElement).toHaveClass("dark");
    expect(document.documentElement.dataset.theme).toBe("dark");
    await waitFor(() => expect(r.called("set_settings").at(-1)!.args.settings).toMatchObject({ theme: "dark" }));
    fireEvent.click(screen.getByTestId("theme-light"));
    expect(document.documentElement).not.toHaveClass("dark");
    expect(document.documentElement.dataset.theme).toBe("light");
    fireEvent.click(screen.getByTestId("theme-system"));
    expect(document.documentElement.dataset.theme).toBe("light"); // jsdom: prefers light
  });

  it("counts the ledger's events and imports, and follows a change", async () => {
    let status = fx.ledgerStatus({ events: 48213, batches_imported: 5, batches_undone: 1 });
    renderApp({ ledger_status: () => status }, "settings");
    await waitFor(() => expect(screen.getByTestId("ledger-events")).toHaveTextContent("48,213"));
    expect(screen.getByText("5 (and 1 undone)")).toBeInTheDocument();
    status = fx.ledgerStatus({ events: 48300, batches_imported: 6, batches_undone: 1 });
    await act(async () => emitEvent("ledger-changed", null));
    await waitFor(() => expect(screen.getByTestId("ledger-events")).toHaveTextContent("48,300"));
  });

  it("toggles save and the folder opens", async () => {
    const r = renderApp({ open_data_folder: null }, "settings");
    await waitFor(() => expect(screen.getByTestId("setting-start-at-login")).toBeInTheDocument());
    fireEvent.click(screen.getByTestId("setting-start-at-login"));
    await waitFor(() => expect(r.called("set_settings").at(-1)!.args.settings).toMatchObject({ start_at_login: true }));
    expect(screen.getByTestId("setting-start-at-login")).toHaveAttribute("aria-checked", "true");
    fireEvent.click(screen.getByTestId("setting-close-to-tray"));
    await waitFor(() => expect(r.called("set_settings").at(-1)!.args.settings).toMatchObject({ close_to_tray: false }));
    fireEvent.click(screen.getByTestId("open-data-folder"));
    await waitFor(() => expect(r.called("open_data_folder")).toHaveLength(1));
  });

  it("the time zone follows the computer's until one is chosen, and the figures are read again", async () => {
    const system = { counted_in: "America/Los_Angeles", chosen: false, system: "America/Los_Angeles", available: ["America/Los_Angeles", "Asia/Tokyo", "UTC"] };
    const r = renderApp({ time_zone: system, set_time_zone: (a: Record<string, unknown>) => (a.zone ? { ...system, counted_in: a.zone, chosen: true } : system) }, "settings");
    const select = await screen.findByTestId("setting-time-zone");
    expect(select).toHaveValue("");
    expect(select).toHaveTextContent("Your computer's (America/Los_Angeles)");
    expect(screen.getByRole("option", { name: "Asia/Tokyo" })).toBeInTheDocument();
    const statusReads = r.called("ledger_status").length;
    fireEvent.change(select, { target: { value: "Asia/Tokyo" } });
    await waitFor(() => expect(r.called("set_time_zone").at(-1)!.args).toEqual({ zone: "Asia/Tokyo" }));
    await waitFor(() => expect(screen.getByTestId("toast")).toHaveTextContent("Days are now counted in Asia/Tokyo"));
    expect(screen.getByTestId("setting-time-zone")).toHaveValue("Asia/Tokyo");
    await waitFor(() => expect(r.called("ledger_status").length).toBeGreaterThan(statusReads));
    fireEvent.change(screen.getByTestId("setting-time-zone"), { target: { value: "" } });
    await waitFor(() => expect(r.called("set_time_zone").at(-1)!.args).toEqual({ zone: null }));
    await waitFor(() => expect(screen.getByTestId("setting-time-zone")).toHaveValue(""));
  });

  it("a failed save rolls back and says why", async () => {
    renderApp({ set_settings: () => { throw { code: "settings", message: "settings.toml is read-only", hint: null }; } }, "settings");
    await waitFor(() => expect(screen.getByTestId("setting-notifications")).toBeInTheDocument());
    fireEvent.click(screen.getByTestId("setting-notifications"));
    await waitFor(() => expect(screen.getByTestId("toast")).toHaveTextContent("settings.toml is read-only"));
    expect(screen.getByTestId("setting-notifications")).toHaveAttribute("aria-checked", "true");
  });

  it("loading and error states", async () => {
    const a = renderApp({ get_settings: pending }, "settings");
    expect(screen.getByTestId("page-settings")).toHaveAttribute("data-state", "loading");
    a.unmount();
    renderApp({ get_settings: () => { throw { code: "settings", message: "settings.toml: line 3: expected a boolean", hint: "Fix or delete the file." }; } }, "settings");
    await waitFor(() => expect(screen.getByTestId("page-settings")).toHaveAttribute("data-state", "error"));
    expect(screen.getByTestId("error-message")).toHaveTextContent("line 3: expected a boolean");
    expect(screen.getByTestId("error-hint")).toHaveTextContent("Fix or delete the file.");
  });

  it("the remembered theme applies from the backend's settings", async () => {
    renderApp({ get_settings: fx.settings({ theme: "dark" }) });
    await waitFor(() => expect(document.documentElement).toHaveClass("dark"));
  });
});
