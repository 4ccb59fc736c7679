// Fixture data for the dev mock mode and the tests: a deterministic, realistic ledger (six platforms,
// USD, EUR and JPY, four years of days) and the dry runs and batches the import screens show.
// Never imported by production code.
import type { AppInfo, BatchRecord, Bucket, ConnectablePlatform, ConnectionHealth, ConnectionRecord, CsvSample, Dashboard, DashboardQuery, Figures, FileImport, GroupFigures, HealthView, LedgerStatus, RecentRun, SeriesPoint, Settings } from "../bindings";
import { bucketStart } from "../lib/series";

export const TODAY = "2026-11-24";

export function ledgerStatus(over: Partial<LedgerStatus> = {}): LedgerStatus {
  return { schema_version: 7, events: 48213, sources: 6, batches_imported: 5, batches_undone: 1, connections: 0, change_counter: 311, ...over };
}

export function appInfo(over: Partial<AppInfo> = {}): AppInfo {
  return { version: "0.4.0", data_dir: "/home/ana/.local/share/tributary", workspace: "main", has_events: true, schema_version: 7, tray: true, last_import: "2026-11-24T08:12:00Z", currency_exponents: { USD: 2, EUR: 2, GBP: 2, JPY: 0, KWD: 3, HUF: 2 }, ...over };
}

export const settings = (over: Partial<Settings> = {}): Settings => ({ close_to_tray: true, notifications: true, start_at_login: false, theme: "system", ...over });

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Day { day: string; platform: string; currency: string; net: number; gross: number; fees: number; refunds: number; units: number; estimated: number; kenp: number }

const PLATFORM_SPECS: Array<{ platform: string; currency: string; base: number; growth: number; price: number; feeRate: number }> = [
  { platform: "kdp", currency: "USD", base: 5200, growth: 1.6, price: 499, feeRate: 0 },
  { platform: "gumroad", currency: "USD", base: 3800, growth: 1.3, price: 1900, feeRate: 0.1 },
  { platform: "stripe", currency: "USD", base: 6400, growth: 2.1, price: 4900, feeRate: 0.03 },
  { platform: "lemonsqueezy", currency: "USD", base: 2100, growth: 2.6, price: 2900, feeRate: 0.05 },
  { platform: "whatnot", currency: "USD", base: 2900, growth: 1.2, price: 2500, feeRate: 0.08 },
  { platform: "patreon", currency: "USD", base: 1700, growth: 1.1, price: 500, feeRate: 0.08 },
  { platform: "kdp", currency: "EUR", base: 1600, growth: 1.4, price: 399, feeRate: 0 },
  { platform: "kdp", currency: "JPY", base: 900, growth: 1.2, price: 500, feeRate: 0 },
];

let cache: Day[] | null = null;
/** Four years of daily figures per platform and currency (in minor units; JPY has none). */
export function ledgerDays(): Day[] {
  if (cache) return cache;
  const out: Day[] = [];
  const r = rng(42);
  const end = new Date(`${TODAY}T00:00:00Z`);
  const start = new Date(end);
  start.setUTCFullYear(start.getUTCFullYear() - 4);
  const total = Math.round((end.getTime() - start.getTime()) / 86400000);
  for (let i = 0; i <= total; i++) {
    const d = new Date(start.getTime() + i * 86400000);
    const day = d.toISOString().slice(0, 10);
    const t = i / total;
    const weekly = 1 + 0.18 * Math.sin((d.getUTCDay() / 7) * Math.PI * 2);
    const seasonal = 1 + 0.25 * Math.sin(((d.getUTCMonth() + 1) / 12) * Math.PI * 2 - 1);
    for (const spec of PLATFORM_SPECS) {
      const minorScale = spec.currency === "JPY" ? 1 : 1;
      const expected = spec.base * (1 + (spec.growth - 1) * t) * weekly * seasonal * (0.6 + r() * 0.8);
      const units = Math.max(0, Math.round(expected / spec.price * 3 * r()));
      if (units === 0 && r() < 0.5) continue;
      const gross = Math.round(units * spec.price * minorScale);
      const fees = Math.round(gross * spec.feeRate);
      const refunds = r() < 0.06 ? -Math.round(spec.price * (1 - spec.feeRate)) : 0;
      const net = gross - fees + refunds;
      const monthsAgo = (end.getUTCFullYear() - d.getUTCFullYear()) * 12 + end.getUTCMonth() - d.getUTCMonth();
      out.push({ day, platform: spec.platform, currency: spec.currency, net, gross, fees, refunds, units, estimated: spec.platform === "kdp" && monthsAgo <= 1 ? units || 1 : 0, kenp: spec.platform === "kdp" ? Math.round(r() * 1800) : 0 });
    }
  }
  cache = out;
  return out;
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function periodRange(q: DashboardQuery, today = TODAY): { from: string | null; to: string | null; pf: string | null; pt: string | null } {
  let from: string | null = null;
  let to: string | null = today;
  if (q.period === "this_month") from = `${today.slice(0, 7)}-01`;
  else if (q.period === "last_30_days") from = addDays(today, -29);
  else if (q.period === "this_year") from = `${today.slice(0, 4)}-01-01`;
  else if (q.period === "last_month" || q.period === "last_12_months") {
    const first = new Date(`${today.slice(0, 7)}-01T00:00:00Z`);
    to = addDays(first.toISOString().slice(0, 10), -1);
    first.setUTCMonth(first.getUTCMonth() - (q.period === "last_month" ? 1 : 12));
    from = first.toISOString().slice(0, 10);
  }
  else if (q.period === "custom") {
    from = q.from;
    to = q.to;
  } else to = null;
  if (!from || !to) return { from, to, pf: null, pt: null };
  const len = Math.round((Date.parse(to) - Date.parse(from)) / 86400000) + 1;
  return { from, to, pf: addDays(from, -len), pt: addDays(from, -1) };
}

const emptyFigures = (currency: string): Figures => ({ currency, sales_minor: 0, refunds_minor: 0, chargebacks_minor: 0, fees_minor: 0, adjustments_minor: 0, net_minor: 0, units: 0, kenp_pages: 0, events: 0, estimated_events: 0 });

// A day's refunds are negative in `Day`; the figures hold them as the positive amount taken off.
function addTo(f: Figures, d: Day) {
  f.sales_minor += d.gross;
  f.refunds_minor -= d.refunds;
  f.fees_minor += d.fees;
  f.net_minor += d.net;
  f.units += d.units;
  f.kenp_pages += d.kenp;
  f.events += Math.max(1, d.units) + (d.refunds ? 1 : 0);
  f.estimated_events += d.estimated;
}

function totalsOf(days: Day[]): Figures[] {
  const m = new Map<string, Figures>();
  for (const d of days) {
    const f = m.get(d.currency) ?? emptyFigures(d.currency);
    addTo(f, d);
    m.set(d.currency, f);
  }
  return [...m.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

function group(days: Day[], key: (d: Day) => string, meta: (k: string, d: Day) => { platform?: string; name?: string }): GroupFigures[] {
  const m = new Map<string, GroupFigures>();
  for (const d of days) {
    const k = `${key(d)}|${d.currency}`;
    let g = m.get(k);
    if (!g) {
      g = { key: key(d), ...meta(key(d), d), ...emptyFigures(d.currency) };
      m.set(k, g);
    }
    addTo(g, d);
  }
  return [...m.values()].sort((a, b) => a.currency.localeCompare(b.currency) || b.net_minor - a.net_minor);
}

const PRODUCTS: Record<string, string[]> = {
  kdp: ["The Quiet Orchard (Kindle)", "The Quiet Orchard (Paperback)", "Salt & Cedar", "Winter Almanac"],
  gumroad: ["Lightroom Presets Vol. 2", "Watercolor Brush Pack"],
  stripe: ["Cohort: Writing for Money", "1:1 Coaching Session"],
  lemonsqueezy: ["Notion Author Dashboard"],
  whatnot: ["Signed first editions (live)"],
  patreon: ["Patreon membership"],
};
const COUNTRIES = ["US", "GB", "DE", "CA", "AU", "FR", "NL", "JP", "SE", "", "ES", "IT"];

export function dashboard(q: DashboardQuery, over: Partial<Dashboard> = {}): Dashboard {
  const { from, to, pf, pt } = periodRange(q);
  const all = ledgerDays();
  const inRange = (d: Day, a: string | null, b: string | null) => (!a || d.day >= a) && (!b || d.day <= b);
  const days = all.filter((d) => inRange(d, from, to));
  const prev = pf && pt ? all.filter((d) => inRange(d, pf, pt)) : [];
  const series = new Map<string, SeriesPoint>();
  for (const d of days) {
    const b = bucketStart(d.day, q.bucket as Bucket);
    const k = `${b}|${d.platform}|${d.currency}`;
    const p = series.get(k) ?? { bucket: b, platform: d.platform, ...emptyFigures(d.currency) };
    addTo(p, d);
    series.set(k, p);
  }
  const products = group(days, (d) => {
    const list = PRODUCTS[d.platform] ?? ["Product"];
    return `${d.platform}:${list[(d.day.charCodeAt(9) + d.units) % list.length]}`;
  }, (k) => ({ platform: k.split(":")[0] ?? "", name: k.split(":").slice(1).join(":") }));
  const estimated = [...new Set(days.filter((d) => d.estimated > 0).map((d) => d.day.slice(0, 7)))].sort();
  return {
    today: TODAY,
    from, to, previous_from: pf, previous_to: pt,
    totals: totalsOf(days),
    previous: totalsOf(prev),
    series: [...series.values()].sort((a, b) => a.bucket.localeCompare(b.bucket) || a.platform.localeCompare(b.platform) || a.currency.localeCompare(b.currency)),
    platforms: group(days, (d) => d.platform, () => ({})),
    products: products.filter((p, _i, arr) => arr.filter((x) => x.currency === p.currency).indexOf(p) < 10),
    countries: group(days, (d) => COUNTRIES[(d.day.charCodeAt(8) * 7 + d.units + d.platform.length) % COUNTRIES.length] ?? "", () => ({})),
    estimated_months: estimated,
    still_estimated: estimated.flatMap((month) => [
      { month, marketplace: "Amazon.com", platform: "kdp", currency: "USD", events: 42, files: [`KDP_Dashboard-${month}.xlsx`] },
      { month, marketplace: "Amazon.de", platform: "kdp", currency: "EUR", events: 9, files: [`KDP_Dashboard-${month}.xlsx`] },
    ]),
    coverage: [...new Set(all.map((d) => d.platform))].sort().map((platform) => {
      const mine = all.filter((d) => d.platform === platform).map((d) => d.day).sort();
      return { platform, first_day: mine[0] ?? "", last_day: mine[mine.length - 1] ?? "" };
    }),
    comparison_partial: pf !== null && all.length > 0 && all.map((d) => d.day).sort()[0]! > pf,
    ...over,
  };
}

export function fileImport(path: string, over: Partial<FileImport> = {}): FileImport {
  return {
    path,
    format: "stripe-payments",
    reading: { encoding: "UTF-8", delimiter: ",", decimal_mark: "point", date_format: "%Y-%m-%d %H:%M", sheets: [] },
    batch_id: null,
    dry_run: true,
    file_hash: "9f2c1e",
    rows_read: 1284,
    inserted: 1190,
    updated: 12,
    duplicates: 71,
    rejected: 3,
    skipped: 8,
    errors: [
      { line: 214, column: "Amount", message: "“12,50” has a thousands separator in the wrong place for a point decimal mark" },
      { line: 877, column: "Currency", message: "“XXX” is not an ISO 4217 currency" },
      { line: 1203, column: "Created (UTC)", message: "“31/02/2026” is not a date" },
    ],
    warnings: ["8 payout rows were left out: they move money, they are not income."],
    replaces: [],
    would_add: [
      { ...emptyFigures("EUR"), sales_minor: 184250, refunds_minor: 1800, fees_minor: 6120, net_minor: 176330, units: 96, events: 101 },
      { ...emptyFigures("USD"), sales_minor: 2419900, refunds_minor: 16500, fees_minor: 72930, net_minor: 2330470, units: 1094, events: 1101 },
    ],
    ...over,
  };
}

export function batches(): BatchRecord[] {
  const mk = (id: number, file_name: string, format: string, started_at: string, inserted: number, status: string, extra: Partial<BatchRecord> = {}): BatchRecord => ({
    id, file_name, file_path: `/home/ana/Downloads/${file_name}`, file_hash: "ab12", file_size: 120_000 + id * 9_311, format, status,
    started_at, finished_at: started_at, undone_at: status === "undone" ? started_at : null, rows_read: inserted + 20, inserted, updated: id % 3 === 0 ? 14 : 0, duplicates: 20, rejected: id === 5 ? 2 : 0, skipped: 0,
    replaced_estimates: 0,
    first_event_at: addDays(started_at.slice(0, 10), -30) + "T00:00:00Z", last_event_at: addDays(started_at.slice(0, 10), -1) + "T23:00:00Z",
    added: status === "undone" ? [] : [{ ...emptyFigures("USD"), sales_minor: inserted * 1100, refunds_minor: inserted * 20, fees_minor: inserted * 80, net_minor: inserted * 1000, units: inserted, events: inserted }],
    ...extra,
  });
  return [
    mk(7, "unified_payments_2026-11.csv", "stripe-payments", "2026-11-24T08:12:00Z", 1190, "imported"),
    mk(6, "KDP_Dashboard-2026-11-23.xlsx", "kdp-workbook", "2026-11-23T19:40:00Z", 342, "imported"),
    mk(5, "gumroad_sales_oct.csv", "gumroad-sales", "2026-11-02T10:03:00Z", 518, "imported"),
    mk(4, "KDP_Prior_Month_Royalties-2026-10.xlsx", "kdp-workbook", "2026-11-01T09:15:00Z", 61, "imported"),
    mk(3, "whatnot_financials_q3.csv", "whatnot-financial", "2026-10-05T16:20:00Z", 233, "undone"),
    mk(2, "orders_export.csv", "lemonsqueezy-orders", "2026-09-12T12:00:00Z", 87, "imported"),
  ];
}

export function csvSample(): CsvSample {
  return {
    headers: ["Buchungstag", "Verwendungszweck", "Betrag", "Gebühr", "Währung", "Referenz", "Land", "Menge"],
    rows: [
      ["03.11.2026", "Hörbuch: Salz & Zeder", "19,99", "1,20", "EUR", "R-10021", "DE", "1"],
      ["03.11.2026", "Workshop Schreiben", "149,00", "4,47", "EUR", "R-10022", "AT", "1"],
      ["04.11.2026", "Hörbuch: Salz & Zeder", "19,99", "1,20", "EUR", "R-10023", "CH", "2"],
      ["05.11.2026", "Erstattung R-10021", "-19,99", "0,00", "EUR", "R-10024", "DE", "1"],
      ["06.11.2026", "Signierte Ausgabe", "34,50", "2,07", "EUR", "R-10025", "DE", "1"],
    ],
    delimiter: ";",
    encoding: "Windows-1252",
  };
}

/** `count` hourly runs ending at `newest` (newest first); `failedFirst` of the newest failed with `error`. */
export function recentRuns(newest: string, count: number, failedFirst = 0, error = "Gumroad answered 503 Service Unavailable to GET /v2/sales?page_key=2 (request 3)"): RecentRun[] {
  const end = new Date(newest).getTime();
  return Array.from({ length: count }, (_, i) => {
    const failed = i < failedFirst;
    return {
      id: 1000 - i,
      status: failed ? "failed" : "succeeded",
      started_at: new Date(end - i * 3_600_000).toISOString(),
      duration_ms: failed ? 900 + ((i * 37) % 400) : 1400 + ((i * 211) % 1900),
      requests: failed ? 3 : 2 + (i % 3),
      retries: failed ? 2 : i % 7 === 0 ? 1 : 0,
      rows: failed ? 0 : 40 + ((i * 13) % 90),
      inserted: failed ? 0 : (i * 7) % 12,
      error_class: failed ? "transient" : null,
      error_message: failed ? error : null,
    };
  });
}

/** A healthy hourly connection, synced at `at`. */
export function connectionHealth(over: Partial<ConnectionHealth> = {}, at = "2026-11-24T09:41:00Z"): ConnectionHealth {
  const next = new Date(new Date(at).getTime() + 3_600_000).toISOString();
  return {
    connection: "gumroad",
    platform: "gumroad",
    state: "healthy",
    paused_by: null,
    sentence: null,
    fix: null,
    waiting_until: null,
    consecutive_failures: 0,
    warning: false,
    last_success_at: at,
    success_rate_24h: 1,
    success_rate_7d: 0.994,
    p50_duration_ms: 1820,
    p95_duration_ms: 3240,
    requests_per_run: 2.6,
    retries_per_run: 0.1,
    rows_per_run: 84.2,
    credential_expires_at: null,
    next_at: next,
    every_secs: 3600,
    recent_runs: recentRuns(at, 30),
    ...over,
  };
}

export function healthView(connections: ConnectionHealth[], line?: string, syncingPaused = false): HealthView {
  const live = connections.filter((c) => c.state !== "disconnected");
  if (live.length === 0) return { connections, syncing_paused: syncingPaused, summary: null };
  const error = live.some((c) => c.state === "needs_reconnect" || c.state === "failing" || (c.state === "paused" && c.paused_by === "tributary"));
  const attention = live.some((c) => c.state === "rate_limited" || c.state === "stale");
  const level = error ? "error" : attention ? "attention" : "normal";
  return { connections, syncing_paused: syncingPaused, summary: { level, line: line ?? summaryLine(live, level), connections: live.length } };
}

/** The engine's summary line (health_summary.rs) for fixtures: the worst connection speaks, several are counted. */
function summaryLine(live: ConnectionHealth[], level: string): string {
  if (level === "normal") return `${live.length} connections synced, last at 2026-11-24 09:41 UTC`;
  const levelOf = (h: ConnectionHealth) =>
    h.state === "needs_reconnect" || h.state === "failing" || (h.state === "paused" && h.paused_by === "tributary") ? "error" : h.state === "rate_limited" || h.state === "stale" ? "attention" : "normal";
  const troubled = live.filter((h) => levelOf(h) === level);
  const name = (h: ConnectionHealth) => ({ gumroad: "Gumroad", lemonsqueezy: "Lemon Squeezy", stripe: "Stripe", whop: "Whop" })[h.platform] ?? h.platform;
  if (troubled.length > 1) return `${troubled.length} connections need attention: ${troubled.map(name).join(", ")}`;
  const one = troubled[0]!;
  const words: Partial<Record<ConnectionHealth["state"], string>> = {
    needs_reconnect: "needs reconnecting",
    failing: "is failing to sync",
    paused: "paused itself after failing",
    rate_limited: one.waiting_until ? `is rate-limited until ${one.waiting_until.slice(11, 16)} UTC` : "is rate-limited",
    stale: "has not synced lately",
  };
  return `${name(one)} ${words[one.state] ?? "is fine"}`;
}

/** The four platforms Tributary connects to, as `connectable_platforms` lists them. */
export function connectablePlatforms(): ConnectablePlatform[] {
  return [
    { id: "gumroad", name: "Gumroad", auth: ["token", "oauth"], token_help: "In Gumroad: Settings → Advanced → Applications, create an application, then \"Generate access token\". It needs the view_sales scope.", syncs: "sales, with their fees, refunds and chargebacks (USD)" },
    { id: "lemonsqueezy", name: "Lemon Squeezy", auth: ["token"], token_help: "In Lemon Squeezy: Settings → API, \"Add API key\". A key reads the whole store and lasts a year.", syncs: "orders and their refunds, in each order's currency" },
    { id: "stripe", name: "Stripe", auth: ["token", "oauth"], token_help: "In Stripe: Developers → API keys → \"Create restricted key\", with Read on Charges, Balance transaction sources, Refunds and Disputes.", syncs: "charges with Stripe's fee, refunds and disputes" },
    { id: "whop", name: "Whop", auth: ["token"], token_help: "In Whop: your business dashboard → Developer → API keys, \"Create API key\".", syncs: "payments and their refunds, with Whop's fees" },
  ];
}

/** A connection as `list_connections` has it. */
export function connectionRecord(over: Partial<ConnectionRecord> = {}): ConnectionRecord {
  const platform = over.platform ?? "gumroad";
  return {
    id: 1,
    name: platform,
    platform,
    account: "ana",
    auth_kind: "token",
    remote_id: "u_8812",
    remote_name: "Ana's Studio",
    state: "active",
    state_reason: null,
    created_at: "2026-09-02T10:00:00Z",
    updated_at: "2026-11-24T09:41:00Z",
    last_success_at: "2026-11-24T09:41:00Z",
    credential_expires_at: null,
    has_cursor: true,
    lookback_days: 3,
    rows_synced: 1840,
    ...over,
  };
}

/**
 * A workspace whose connections are in four states at `now`: Gumroad healthy, Lemon Squeezy refused its
 * key, Stripe waiting out a rate limit, Whop failing six times in a row. The dev mock passes the real
 * time, so that "3 hours ago" reads as it would.
 */
export function troubledConnections(now = "2026-11-24T09:45:00Z"): { records: ConnectionRecord[]; health: ConnectionHealth[] } {
  const base = new Date(now).getTime();
  const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
  const lsError = "Lemon Squeezy refused the API key (401 Unauthorized to GET /v1/users/me, request 1): it was revoked or has expired.";
  const whopError = "Whop answered 502 Bad Gateway to GET /api/v2/payments?page=3 (request 4), four times.";
  const waitUntil = at(27);
  const records = [
    connectionRecord({ id: 1, platform: "gumroad", rows_synced: 1840, last_success_at: at(-4) }),
    connectionRecord({ id: 2, platform: "lemonsqueezy", state: "needs_reconnect", state_reason: lsError, last_success_at: at(-755), credential_expires_at: at(60 * 24 * 218), rows_synced: 612, remote_name: "Ana Makes" }),
    connectionRecord({ id: 3, platform: "stripe", auth_kind: "oauth", remote_name: "Ana Studio LLC", rows_synced: 9121, last_success_at: at(-52) }),
    connectionRecord({ id: 4, platform: "whop", last_success_at: at(-365), rows_synced: 304, remote_name: "Ana's Circle" }),
  ];
  const health = [
    connectionHealth({ connection: "gumroad", platform: "gumroad" }, at(-4)),
    connectionHealth(
      {
        connection: "lemonsqueezy",
        platform: "lemonsqueezy",
        state: "needs_reconnect",
        sentence: `Lemon Squeezy needs reconnecting: ${lsError}`,
        fix: "reconnect",
        consecutive_failures: 1,
        last_success_at: at(-755),
        success_rate_24h: 0.92,
        success_rate_7d: 0.98,
        credential_expires_at: at(60 * 24 * 218),
        next_at: null,
        recent_runs: recentRuns(at(-35), 30, 1, lsError).map((r, i) => (i === 0 ? { ...r, error_class: "authentication" } : r)),
      },
      at(-755),
    ),
    connectionHealth(
      {
        connection: "stripe",
        platform: "stripe",
        state: "rate_limited",
        sentence: `Stripe is rate-limited by the platform until ${waitUntil.slice(0, 10)} ${waitUntil.slice(11, 16)} UTC; it syncs again then.`,
        fix: "wait",
        waiting_until: waitUntil,
        success_rate_7d: 0.97,
        p95_duration_ms: 8420,
        requests_per_run: 14.2,
        retries_per_run: 1.4,
        rows_per_run: 310,
        next_at: waitUntil,
        recent_runs: recentRuns(at(-15), 30, 1, "Stripe answered 429 Too Many Requests to GET /v1/charges (request 12), Retry-After 40 minutes").map((r, i) => (i === 0 ? { ...r, error_class: "rate_limit" } : r)),
      },
      at(-52),
    ),
    connectionHealth(
      {
        connection: "whop",
        platform: "whop",
        state: "failing",
        sentence: `Whop failed 6 times in a row: ${whopError}; it is retried on its own, or retry now.`,
        fix: "retry_now",
        consecutive_failures: 6,
        warning: true,
        success_rate_24h: 0.75,
        success_rate_7d: 0.93,
        next_at: at(20),
        recent_runs: recentRuns(at(-5), 30, 6, whopError),
      },
      at(-365),
    ),
  ];
  return { records, health };
}
