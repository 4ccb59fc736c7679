// Dev-only mock backend for screenshots and working on the UI without Rust: `npm run dev`, then open
// `/?mock` (a filled ledger), `/?mock=empty`, `/?mock=demo`, `/?mock=error`, `/?mock=slow`; add
// `&page=imports`, `&preview=/path/file.csv` (`unknown.csv` for an unknown format), `&theme=dark`,
// `&drag` (the drop overlay), `&mapping`, `&connections` (four connections: healthy, needing a reconnect,
// rate-limited, failing), `&paused` (with `&connections`: syncing paused as a whole). Only loaded when import.meta.env.DEV, so never in a build.
import { emit } from "@tauri-apps/api/event";
import { mockIPC, mockWindows } from "@tauri-apps/api/mocks";
import type { Channel } from "@tauri-apps/api/core";
import type { ConnectionHealth, DashboardQuery, EmailSettings, Figures, ImportProgress, MappingDraft, Settings, SyncReport, TimeZoneInfo } from "../bindings";
import { enqueueFiles } from "../lib/importQueue";
import { navigate, type Page } from "../lib/router";
import * as fx from "./fixtures";

/** What undoing takes out: a batch's figures, with the money going the other way. */
const negated = (f: Figures): Figures => ({ ...f, sales_minor: -f.sales_minor, refunds_minor: -f.refunds_minor, fees_minor: -f.fees_minor, net_minor: -f.net_minor, units: -f.units, events: -f.events });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function installDevMock(params: URLSearchParams): void {
  const mode = params.get("mock") || "data";
  let events = mode === "empty" ? 0 : 48213;
  let info = fx.appInfo({ has_events: events > 0, workspace: mode === "demo" ? "demo" : "main" });
  let settings: Settings = fx.settings({ theme: (params.get("theme") as Settings["theme"]) || "system" });
  let batches = fx.batches();
  let timeZone: TimeZoneInfo = { counted_in: "Europe/Berlin", chosen: false, system: "Europe/Berlin", available: ["America/Los_Angeles", "Asia/Tokyo", "Europe/Berlin", "UTC"] };
  const delay = mode === "slow" ? 60_000 : 120;
  // `&email`: email alerts set up (Resend, a digest at 08:00).
  let email: EmailSettings | null = params.has("email")
    ? { to: "ana@studio.example", from: "Tributary <alerts@studio.example>", via: { kind: "resend" }, alerts: true, digest_at: 480 }
    : null;
  const troubled = params.has("connections") ? fx.troubledConnections(new Date().toISOString()) : { records: [], health: [] };
  const records = troubled.records;
  let health: ConnectionHealth[] = troubled.health;
  let syncingPaused = params.has("paused");
  const change = (name: string, over: Partial<ConnectionHealth>) => {
    health = health.map((h) => (h.connection === name ? { ...h, ...over } : h));
    void emit("ledger-changed", null);
    const h = health.find((x) => x.connection === name)!;
    return { connection_id: records.find((r) => r.name === name)?.id ?? 0, name, every_secs: h.every_secs, paused_by: h.paused_by, next_at: h.next_at };
  };

  mockWindows("main");
  mockIPC(
    async (cmd, args) => {
      const a = (args ?? {}) as Record<string, unknown>;
      await sleep(cmd === "dashboard" || cmd === "list_batches" ? delay : 60);
      switch (cmd) {
        case "app_info":
          return info;
        case "ledger_status":
          return fx.ledgerStatus({ events, batches_imported: batches.filter((b) => b.status === "imported").length, batches_undone: batches.filter((b) => b.status === "undone").length });
        case "dashboard":
          if (mode === "error") throw { code: "database", message: "The ledger at /home/ana/.local/share/tributary/ledger.sqlite3 could not be read: database disk image is malformed (line 0)", hint: "Restore the file from a backup, or move it aside to start a new ledger." };
          return fx.dashboard(a.query as DashboardQuery);
        case "preview_import": {
          const path = String(a.path);
          if (/unknown/i.test(path) && !a.format) throw { code: "unknown_format", message: `${path}: the format was not recognised (columns: Buchungstag; Verwendungszweck; Betrag; Gebühr; Währung; Referenz)`, hint: "Create a column mapping for this CSV, or pick the format with --format." };
          if (/broken/i.test(path)) throw { code: "io", message: `${path}: the file could not be read: permission denied`, hint: "Check that the file is not open in another program." };
          if (/\.xlsx$/i.test(path)) return fx.fileImport(path, { format: "kdp-workbook", reading: { encoding: null, delimiter: null, decimal_mark: null, date_format: "Excel serial", sheets: ["eBook Royalty", "Paperback Royalty", "KENP Read"] }, errors: [], rejected: 0, warnings: [] });
          return fx.fileImport(path, a.format ? { format: String(a.format), errors: [], rejected: 0, warnings: [] } : {});
        }
        case "commit_import": {
          const ch = a.onProgress as Channel<ImportProgress>;
          const total = 2_400_000;
          for (let i = 1; i <= 10; i++) {
            await sleep(90);
            ch.onmessage?.({ rows: i * 128, bytes_read: (total * i) / 10, total_bytes: total });
          }
          const result = fx.fileImport(String(a.path), { dry_run: false, batch_id: 8 });
          batches = [{ ...batches[0]!, id: 8, file_name: String(a.path).split("/").pop() ?? "file", started_at: new Date().toISOString(), finished_at: new Date().toISOString() }, ...batches];
          events += result.inserted;
          info = { ...info, has_events: events > 0 };
          void emit("ledger-changed", null);
          return result;
        }
        case "list_batches":
          return batches;
        case "take_opened_files":
          return [];
        case "undo_batch": {
          const b = batches.find((x) => x.id === a.id);
          if (!b) throw { code: "not_found", message: `batch ${String(a.id)} does not exist`, hint: null };
          batches = batches.map((x) => (x.id === a.id ? { ...x, status: "undone", undone_at: new Date().toISOString() } : x));
          events = Math.max(0, events - b.inserted);
          info = { ...info, has_events: events > 0 };
          void emit("ledger-changed", null);
          return { batch: { ...b, status: "undone" }, removed: b.inserted, restored: b.updated, kept: 0, forgotten_revisions: 0, changed: b.added.map(negated) };
        }
        case "undo_preview": {
          const b = batches.find((x) => x.id === a.id);
          return (b?.added ?? []).map(negated);
        }
        case "platforms_held":
          return [{ platform: "kdp", events: 3208, first_day: "2025-01-01", last_day: "2026-11-20", last_import: "2026-11-23T19:40:00Z" }];
        case "list_mappings":
          return { mappings: [{ name: "hausbank", title: "Hausbank Umsätze", platform: "hausbank" }], broken: [{ name: "old", path: "/home/ana/.local/share/app.tributary.desktop/mappings/old.toml", reason: "line 3, column 1: expected a table" }] };
        case "retitle_mapping":
          return { name: String(a.name), title: String(a.title), platform: "hausbank" };
        case "remove_mapping":
          return null;
        case "connectable_platforms":
          return fx.connectablePlatforms();
        case "list_connections":
          return records;
        case "health":
          return fx.healthView(health, syncingPaused ? "Lemon Squeezy needs reconnecting; syncing paused" : undefined, syncingPaused);
        case "set_syncing_paused":
          syncingPaused = Boolean(a.paused);
          void emit("ledger-changed", null);
          return syncingPaused;
        case "check_connection": {
          await sleep(600);
          const name = String(a.name);
          const refused = name === "lemonsqueezy";
          return { connection: name, accepted: !refused, account: refused ? null : "Ana's Studio", failure: refused ? { class: "authentication", code: "platform_refused_credential", request: "GET /v1/users/me (request 1)", message: "Lemon Squeezy refused the API key: it was revoked or has expired.", retry_after_ms: null } : null, needs_reconnect: refused, checked_at: new Date().toISOString(), duration_ms: 412 };
        }
        case "set_connection_paused":
          return a.paused ? change(String(a.name), { state: "paused", paused_by: "person", sentence: null, fix: null, next_at: null }) : change(String(a.name), { state: "healthy", paused_by: null, next_at: new Date(Date.now() + 3_600_000).toISOString() });
        case "set_sync_every":
          return change(String(a.name), { every_secs: Number(a.everySecs) });
        case "sync_connection": {
          await sleep(900);
          const name = String(a.name);
          change(name, { state: "healthy", sentence: null, fix: null, warning: false, consecutive_failures: 0, last_success_at: new Date().toISOString() });
          const report: SyncReport = { connection: name, platform: name, run_id: 77, dry_run: false, pages: 2, inserted: 14, updated: 1, duplicates: 40, rejected: 0, requests: 3, retries: 0, added: [], errors: [], failure: null, stopped: false };
          return report;
        }
        case "list_formats":
          return [{ name: "stripe-payments", title: "Stripe payments export", platform: "stripe" }];
        case "csv_sample":
          return fx.csvSample();
        case "preview_mapping": {
          const d = a.draft as MappingDraft;
          if (d.decimal_mark === "point") throw { code: "mapping_invalid", message: "line 2, column Betrag: “19,99” has a thousands separator in the wrong place", hint: "Set the decimal mark to comma." };
          return fx.fileImport(String(a.path), { format: d.name, reading: { encoding: "Windows-1252", delimiter: ";", decimal_mark: "comma", date_format: "%d.%m.%Y", sheets: [] }, rows_read: 5, inserted: 5, updated: 0, duplicates: 0, rejected: 0, skipped: 0, errors: [], warnings: [], would_add: [{ currency: "EUR", sales_minor: 22348, refunds_minor: 1999, chargebacks_minor: 0, fees_minor: 894, adjustments_minor: 0, net_minor: 19455, units: 6, kenp_pages: 0, events: 5, estimated_events: 0 }] });
        }
        case "save_mapping": {
          const d = a.draft as MappingDraft;
          return { name: d.name, title: d.title ?? d.name, platform: d.platform };
        }
        case "email_alerts":
          return email;
        case "set_email_alerts":
          await sleep(delay);
          email = a.settings as EmailSettings;
          return email;
        case "send_test_email":
          await sleep(700);
          if (email?.via.kind === "smtp") throw { code: "email_not_sent", message: `the email was not sent: SMTP ${email.via.host}:${email.via.port}: the server answered 535: authentication failed`, hint: "Check the address, the key or the server's login; if the server was only busy, send again in a minute.", retry: true };
          return "4ef9a417-02e9-4d39-ad75-9611e0fcc33c";
        case "remove_email_alerts":
          email = null;
          return null;
        case "get_settings":
          return settings;
        case "set_settings":
          settings = a.settings as Settings;
          return settings;
        case "time_zone":
          return timeZone;
        case "set_time_zone":
          await sleep(delay);
          timeZone = { ...timeZone, counted_in: (a.zone as string | null) ?? timeZone.system, chosen: a.zone != null };
          return timeZone;
        case "open_data_folder":
          return null;
        case "load_demo":
          events = 48213;
          info = { ...info, workspace: "demo", has_events: true };
          void emit("workspace-changed", info);
          return info;
        case "leave_demo":
          events = mode === "empty" ? 0 : 48213;
          info = { ...info, workspace: "main", has_events: events > 0 };
          void emit("workspace-changed", info);
          return info;
        case "plugin:dialog|open":
          return ["/home/ana/Downloads/unified_payments_2026-11.csv", "/home/ana/Downloads/KDP_Dashboard-2026-11-23.xlsx"];
        default:
          console.warn("[mock] unhandled command", cmd, args);
          return null;
      }
    },
    { shouldMockEvents: true },
  );

  const page = params.get("page") as Page | null;
  if (page) navigate(page);
  const preview = params.getAll("preview");
  if (preview.length) setTimeout(() => enqueueFiles(preview), 0);
  if (params.has("drag")) setTimeout(() => void emit("tauri://drag-enter", { paths: ["/tmp/a.csv"], position: { x: 10, y: 10 } }), 300);
  (window as unknown as { __mock: unknown }).__mock = { emit, enqueueFiles };
}
