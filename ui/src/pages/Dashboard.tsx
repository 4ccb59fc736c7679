import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import type { Bucket, Dashboard, DashboardQuery, Figures, GroupFigures, Period } from "../bindings";
import { IconAlert, IconArrowDown, IconArrowUp, IconFile, IconImport, IconPlug, IconSparkle } from "../components/icons";
import { bucketLabel, RevenueChart } from "../components/RevenueChart";
import { RevenueTable } from "../components/RevenueTable";
import { toast } from "../components/toast";
import { Badge, Button, Card, CardHeader, cx, ErrorState, inputClass, PageHeader, Segmented, Skeleton } from "../components/ui";
import * as ipc from "../ipc";
import { openImportDialog } from "../lib/actions";
import { countryName, currencyName, formatCount, formatDay, formatMoney, formatMonth, parseDay, percentChange, toDay, userLocale } from "../lib/format";
import { platformColorVar, platformName } from "../lib/platforms";
import { invalidateLedger, keys, useAppInfo, useDashboard } from "../lib/queries";
import { navigate } from "../lib/router";
import { toColumns } from "../lib/series";

const PERIODS: Array<{ value: Period; label: string }> = [
  { value: "this_month", label: "This month" },
  { value: "last_30_days", label: "Last 30 days" },
  { value: "last_month", label: "Last month" },
  { value: "last_12_months", label: "Last 12 months" },
  { value: "this_year", label: "This year" },
  { value: "all_time", label: "All time" },
  { value: "custom", label: "Custom" },
];
const BUCKETS: Array<{ value: Bucket; label: string }> = [
  { value: "day", label: "Day" },
  { value: "week", label: "Week" },
  { value: "month", label: "Month" },
];
const DEFAULT_BUCKET: Record<Period, Bucket> = { this_month: "day", last_30_days: "day", last_month: "day", last_12_months: "month", this_year: "week", all_time: "month", custom: "day" };

// Whether the shell has heard that the first screen is up (it logs the time once; the startup benchmark
// reads it).
let shownReported = false;

// The dashboard's query survives navigating away and back.
let remembered: DashboardQuery = { period: "this_month", from: null, to: null, bucket: "day" };

export function DashboardPage() {
  const info = useAppInfo();
  const [query, setQueryState] = useState<DashboardQuery>(remembered);
  const setQuery = (q: DashboardQuery) => {
    remembered = q;
    setQueryState(q);
  };
  const customValid = query.period !== "custom" || (!!query.from && !!query.to && query.from <= query.to);
  const hasEvents = info.data?.has_events ?? false;
  const dash = useDashboard(query, hasEvents && customValid);

  let state: "loading" | "empty" | "data" | "error";
  if (info.isError) state = "error";
  else if (!info.data) state = "loading";
  else if (!hasEvents) state = "empty";
  else if (dash.isError) state = "error";
  else if (!dash.data && customValid) state = "loading";
  else state = "data";

  const shown = state === "empty" ? "empty" : state === "data" && dash.data ? "dashboard" : null;
  useEffect(() => {
    if (shown && !shownReported) {
      shownReported = true;
      // Only a log line in the shell: nothing to tell the person if it fails.
      ipc.windowShown(shown).catch(() => undefined);
    }
  }, [shown]);

  return (
    <section data-testid="page-dashboard" data-state={state} aria-labelledby="dashboard-title" aria-busy={state === "loading"}>
      {state === "empty" ? (
        <FirstRun onDemo={() => setQuery({ period: "all_time", from: null, to: null, bucket: "month" })} />
      ) : (
        <>
          <PageHeader
            title="Dashboard"
            description={dash.data ? periodText(dash.data) : " "}
            actions={
              <Segmented label="Grouping" value={query.bucket} onChange={(bucket) => setQuery({ ...query, bucket })}
                options={BUCKETS.map((b) => ({ ...b, testId: `bucket-${b.value}` }))} />
            }
          />
          <h1 id="dashboard-title" className="sr-only">Dashboard</h1>
          <PeriodPicker query={query} today={dash.data?.today} onChange={setQuery} />
          {info.isError ? (
            <ErrorState error={info.error} onRetry={() => void info.refetch()} title="Could not read the ledger" />
          ) : dash.isError ? (
            <ErrorState error={dash.error} onRetry={() => void dash.refetch()} title="Could not load the dashboard" />
          ) : !customValid ? (
            <Card className="p-6 text-[13px] text-muted">Pick a start and an end day (the start on or before the end) to see that period.</Card>
          ) : dash.data ? (
            <DashboardBody data={dash.data} bucket={query.bucket} fetching={dash.isFetching} onShow={setQuery} />
          ) : (
            <DashboardSkeleton />
          )}
        </>
      )}
    </section>
  );
}

function periodText(d: Dashboard): string {
  if (!d.from || !d.to) return "All time";
  return `${formatDay(d.from)} – ${formatDay(d.to)}`;
}

function PeriodPicker({ query, today, onChange }: { query: DashboardQuery; today?: string; onChange: (q: DashboardQuery) => void }) {
  const pick = (period: Period) => {
    if (period === "custom") {
      const end = today ?? toDay(new Date());
      const start = new Date(`${end}T00:00:00Z`);
      start.setUTCDate(start.getUTCDate() - 89);
      onChange({ period, from: query.from ?? toDay(start), to: query.to ?? end, bucket: query.bucket });
    } else {
      onChange({ period, from: null, to: null, bucket: DEFAULT_BUCKET[period] });
    }
  };
  return (
    <div className="mb-5 flex flex-wrap items-center gap-3">
      <Segmented label="Period" value={query.period} onChange={pick} options={PERIODS.map((p) => ({ ...p, testId: `period-${p.value}` }))} />
      {query.period === "custom" ? (
        <div className="flex items-center gap-2 text-[13px] text-muted">
          <label htmlFor="custom-from" className="sr-only">From</label>
          <input id="custom-from" type="date" className={cx(inputClass, "w-[150px] tabular")} value={query.from ?? ""} max={query.to ?? undefined}
            onChange={(e) => onChange({ ...query, from: e.target.value || null })} data-testid="custom-from" />
          <span aria-hidden="true">–</span>
          <label htmlFor="custom-to" className="sr-only">To</label>
          <input id="custom-to" type="date" className={cx(inputClass, "w-[150px] tabular")} value={query.to ?? ""} min={query.from ?? undefined}
            onChange={(e) => onChange({ ...query, to: e.target.value || null })} data-testid="custom-to" />
        </div>
      ) : null}
    </div>
  );
}

function DashboardSkeleton() {
  return (
    <div aria-hidden="true">
      <div className="grid grid-cols-2 gap-3 xl:grid-cols-4">
        {[0, 1, 2, 3].map((i) => (
          <Card key={i} className="p-4">
            <Skeleton className="h-3 w-24" />
            <Skeleton className="mt-3 h-7 w-32" />
            <Skeleton className="mt-3 h-3 w-28" />
          </Card>
        ))}
      </div>
      <Card className="mt-4 p-5">
        <Skeleton className="h-3 w-32" />
        <Skeleton className="mt-4 h-[240px] w-full" />
      </Card>
      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        <Card className="p-5"><Skeleton className="h-3 w-28" /><Skeleton className="mt-4 h-32 w-full" /></Card>
        <Card className="p-5"><Skeleton className="h-3 w-28" /><Skeleton className="mt-4 h-32 w-full" /></Card>
      </div>
    </div>
  );
}

/** "Data through KDP Nov 20 · Stripe Dec 2": how current each platform's figures are. */
function Coverage({ coverage }: { coverage: Dashboard["coverage"] }) {
  if (coverage.length === 0) return null;
  return (
    <p className="-mt-2 text-[12.5px] text-subtle" data-testid="coverage">
      Data through{" "}
      {coverage.map((c, i) => (
        <span key={c.platform} data-platform={c.platform} data-last-day={c.last_day}>
          {i > 0 ? " · " : null}
          <span className="text-muted">{platformName(c.platform)}</span> {formatDay(c.last_day)}
        </span>
      ))}
    </p>
  );
}

/** The newest day with data, and the platform it is from. */
function newest(coverage: Dashboard["coverage"]): { platform: string; day: string } | null {
  let best: { platform: string; day: string } | null = null;
  for (const c of coverage) if (!best || c.last_day > best.day) best = { platform: c.platform, day: c.last_day };
  return best;
}

/** The calendar month `day` (YYYY-MM-DD) is in, as a custom period. */
function monthOf(day: string, bucket: Bucket): DashboardQuery {
  const first = parseDay(`${day.slice(0, 7)}-01`);
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0));
  return { period: "custom", from: toDay(first), to: toDay(last), bucket };
}

function DashboardBody({ data, bucket, fetching, onShow }: { data: Dashboard; bucket: Bucket; fetching: boolean; onShow: (q: DashboardQuery) => void }) {
  // The currency with the most events first (the creator's main one); figures stay per currency.
  const ordered = useMemo(() => [...data.totals].sort((a, b) => b.events - a.events || a.currency.localeCompare(b.currency)), [data.totals]);
  const currencies = useMemo(() => ordered.map((t) => t.currency), [ordered]);
  const [picked, setPicked] = useState<string | null>(null);
  const currency = picked && currencies.includes(picked) ? picked : (currencies[0] ?? null);
  const estimated = data.estimated_months ?? [];

  if (data.totals.length === 0) {
    const latest = newest(data.coverage);
    return (
      <Card className="px-6 py-14 text-center" data-testid="period-empty">
        <p className="text-sm font-semibold text-fg">No income in this period</p>
        <p className="mt-1 text-[13px] text-subtle">
          {latest
            ? `Your newest figures are from ${formatDay(latest.day)} (${platformName(latest.platform)}). Platforms like KDP report weeks late.`
            : "Pick a longer period, or import a newer report."}
        </p>
        <div className="mt-4 flex justify-center gap-2">
          {latest ? (
            <Button variant="primary" data-testid="show-newest" onClick={() => onShow(monthOf(latest.day, "day"))}>
              Show {formatMonth(latest.day.slice(0, 7))}
            </Button>
          ) : null}
          <Button onClick={() => void openImportDialog()}><IconImport size={15} /> Import files…</Button>
        </div>
      </Card>
    );
  }

  return (
    <div className={cx("flex flex-col gap-4 transition-opacity", fetching && "opacity-80")}>
      <Coverage coverage={data.coverage} />
      {estimated.length > 0 ? <EstimatedNote months={estimated} /> : null}
      <Totals totals={ordered} previous={data.previous} allTime={!data.previous_from} partial={data.comparison_partial} />
      {currency ? (
        <>
          <ChartCard data={data} bucket={bucket} currency={currency} currencies={currencies} onCurrency={setPicked} />
          <div className="grid gap-4 lg:grid-cols-2">
            <ProductsCard products={data.products.filter((p) => p.currency === currency)} currency={currency} />
            <PlatformsCard platforms={data.platforms.filter((p) => p.currency === currency)} currency={currency} />
            <CountriesCard countries={data.countries.filter((p) => p.currency === currency)} currency={currency} />
            <CurrenciesCard totals={data.totals} />
          </div>
        </>
      ) : null}
    </div>
  );
}

function EstimatedNote({ months }: { months: string[] }) {
  const list = months.map((m) => formatMonth(m)).join(", ");
  return (
    <div className="flex items-start gap-3 rounded-xl border border-warning/30 bg-warning-soft px-4 py-3 text-[13px]" role="note">
      <Badge tone="warning" data-testid="estimated-badge" className="mt-px border-warning/40">
        <IconAlert size={11} /> estimated
      </Badge>
      <p className="text-fg">
        KDP figures for <span className="font-medium">{list}</span> are estimates from the daily dashboard report. They are
        replaced when you import that month's Prior Months' Royalties report.
      </p>
    </div>
  );
}

function StatCard({ label, value, children, testId, currency, minor }: { label: string; value: string; children?: React.ReactNode; testId: string; currency: string; minor: number }) {
  return (
    <Card className="min-w-0 px-4 py-3.5" data-testid={testId} data-currency={currency} data-minor={String(minor)}>
      <p className="text-[12.5px] font-medium text-subtle">{label}</p>
      <p className="mt-1 truncate text-[22px] font-semibold tracking-tight text-fg tabular" title={value}>{value}</p>
      <div className="mt-1 min-h-5 text-[12.5px] text-subtle">{children}</div>
    </Card>
  );
}

function Change({ current, previous, short, partial }: { current: number; previous: number | undefined; short?: boolean; partial?: boolean }) {
  // A change against a period the ledger only partly has would be a number that means nothing.
  if (partial) return <span data-testid="change-partial">{short ? "Not comparable yet" : "Not comparable: part of a period has no data yet"}</span>;
  const pct = percentChange(current, previous);
  if (pct === null) return <span>{short ? "Nothing to compare" : "No earlier figures to compare"}</span>;
  const up = current > (previous ?? 0);
  const flat = current === previous;
  return (
    <span className="inline-flex items-center gap-1.5">
      <span className={cx("inline-flex items-center gap-0.5 font-medium tabular", flat ? "text-muted" : up ? "text-positive" : "text-negative")}>
        {flat ? null : up ? <IconArrowUp size={13} /> : <IconArrowDown size={13} />}
        {pct}
        <span className="sr-only">{flat ? "unchanged" : up ? "up" : "down"}</span>
      </span>
      <span className="whitespace-nowrap">{short ? "vs prev." : "vs previous period"}</span>
    </span>
  );
}

interface CellProps { figures: Figures; previous: Figures | undefined; allTime: boolean; partial: boolean }

/** The four figures of one currency, as [label, testid, minor, value, sub line]. */
function cells({ figures: t, previous, allTime, partial }: CellProps, short = false): Array<{ label: string; testId: string; minor: number; value: string; sub: React.ReactNode }> {
  const c = t.currency;
  const refundShare = t.gross_minor > 0 && t.refunds_minor < 0 ? formatShare(-t.refunds_minor / t.gross_minor) : null;
  return [
    { label: "Net revenue", testId: "total-net", minor: t.net_minor, value: formatMoney(t.net_minor, c), sub: allTime ? <span>All time</span> : <Change current={t.net_minor} previous={previous?.net_minor} short={short} partial={partial} /> },
    { label: "Gross", testId: "total-gross", minor: t.gross_minor, value: formatMoney(t.gross_minor, c), sub: t.fees_minor !== 0 ? <span className="tabular">Fees {formatMoney(-Math.abs(t.fees_minor), c)}</span> : <span>No fees</span> },
    { label: "Units", testId: "total-units", minor: t.units, value: formatCount(t.units), sub: t.kenp_pages > 0 ? <span className="tabular">{formatCount(t.kenp_pages)} KENP pages{short ? "" : " read"}</span> : <span className="tabular">{formatCount(t.events)} events</span> },
    { label: "Refunds", testId: "total-refunds", minor: t.refunds_minor, value: formatMoney(t.refunds_minor, c), sub: t.refunds_minor === 0 ? <span>No refunds</span> : refundShare ? <span className="tabular">{refundShare} of gross</span> : <span>Refunds and chargebacks</span> },
  ];
}

function formatShare(ratio: number): string {
  return new Intl.NumberFormat(userLocale(), { style: "percent", maximumFractionDigits: 1 }).format(ratio);
}

function Totals({ totals, previous, allTime, partial }: { totals: Figures[]; previous: Figures[]; allTime: boolean; partial: boolean }) {
  const prev = (c: string) => previous.find((p) => p.currency === c);
  const only = totals.length === 1 ? totals[0] : undefined;
  if (only) {
    return (
      <div className="grid grid-cols-2 gap-3 xl:grid-cols-4">
        {cells({ figures: only, previous: prev(only.currency), allTime, partial }).map((x) => (
          <StatCard key={x.testId} label={x.label} value={x.value} testId={x.testId} currency={only.currency} minor={x.minor}>{x.sub}</StatCard>
        ))}
      </div>
    );
  }
  // Mixed currencies: one row per currency, never added together.
  return (
    <Card className="overflow-x-auto">
      <table className="w-full min-w-[720px] text-[13px]">
        <thead>
          <tr className="border-b border-line text-left text-[12px] text-subtle">
            <th scope="col" className="w-[130px] py-2.5 pr-2 pl-5 font-medium">Currency</th>
            {["Net revenue", "Gross", "Units", "Refunds"].map((h) => <th key={h} scope="col" className="px-4 py-2.5 font-medium">{h}</th>)}
          </tr>
        </thead>
        <tbody>
          {totals.map((t) => (
            <tr key={t.currency} className="border-b border-line align-top last:border-b-0">
              <th scope="row" className="py-3 pr-2 pl-5 text-left">
                <span className="block text-[13px] font-semibold text-fg">{t.currency}</span>
                <span className="block text-[12px] font-normal text-subtle">{currencyName(t.currency)}</span>
              </th>
              {cells({ figures: t, previous: prev(t.currency), allTime, partial }, true).map((x, i) => (
                <td key={x.testId} className="px-4 py-3" data-testid={x.testId} data-currency={t.currency} data-minor={String(x.minor)}>
                  <span className={cx("block font-semibold tracking-tight text-fg tabular", i === 0 ? "text-[20px]" : "text-[17px]")}>{x.value}</span>
                  <span className="mt-0.5 block text-[12px] whitespace-nowrap text-subtle">{x.sub}</span>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

function ChartCard({ data, bucket, currency, currencies, onCurrency }: { data: Dashboard; bucket: Bucket; currency: string; currencies: string[]; onCurrency: (c: string) => void }) {
  const columns = useMemo(() => toColumns(data.series, currency, bucket, data.from, data.to), [data.series, currency, bucket, data.from, data.to]);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const toggle = (p: string) => {
    const next = new Set(hidden);
    if (next.has(p)) next.delete(p);
    else next.add(p);
    setHidden(next);
  };
  const [view, setView] = useState<"chart" | "table">("chart");
  const totals = new Map<string, number>();
  columns.platforms.forEach((p, i) => totals.set(p, (columns.values[i] ?? []).reduce((a, b) => a + b, 0)));
  return (
    <Card>
      <CardHeader
        title={<span className="flex items-center gap-2">Net revenue over time {data.estimated_months?.length ? <Badge tone="warning">includes estimates</Badge> : null}</span>}
        description={`${currency} · by ${bucket}, stacked by platform`}
        actions={
          <div className="flex flex-wrap items-center gap-2">
            {currencies.length > 1 ? (
              <Segmented label="Chart currency" value={currency} onChange={onCurrency} options={currencies.map((c) => ({ value: c, label: c, testId: `chart-currency-${c}` }))} />
            ) : null}
            <Segmented label="Show as" value={view} onChange={setView} options={[{ value: "chart", label: "Chart", testId: "view-chart" }, { value: "table", label: "Table", testId: "view-table" }]} />
          </div>
        }
      />
      {view === "table" ? (
        <div className="px-3 pb-2">
          <RevenueTable columns={columns} hidden={hidden} currency={currency} bucket={bucket} />
        </div>
      ) : (
        <div className="px-3 pb-2" data-testid="revenue-chart" role="img" aria-label={`Net revenue in ${currency} by ${bucket}, stacked by platform; the Table view lists the figures`}>
          {columns.xs.length === 0 ? (
            <p className="px-2 py-16 text-center text-[13px] text-subtle">No {currency} revenue over time in this period.</p>
          ) : (
            <RevenueChart columns={columns} hidden={hidden} currency={currency} bucket={bucket} />
          )}
        </div>
      )}
      <div className="flex flex-wrap gap-1.5 border-t border-line px-4 py-3" role="group" aria-label="Platforms in the chart">
        {columns.platforms.map((p) => {
          const on = !hidden.has(p);
          return (
            <button
              key={p}
              type="button"
              aria-pressed={on}
              data-testid={`legend-${p}`}
              onClick={() => toggle(p)}
              title={on ? `Hide ${platformName(p)}` : `Show ${platformName(p)}`}
              className={cx(
                "inline-flex h-7 items-center gap-2 rounded-md border px-2.5 text-[12.5px] transition-colors",
                on ? "border-line bg-surface text-fg hover:bg-surface-2" : "border-dashed border-line-strong text-subtle line-through",
              )}
            >
              <Swatch platform={p} muted={!on} />
              {platformName(p)}
              <span className="text-subtle tabular no-underline">{formatMoney(totals.get(p) ?? 0, currency)}</span>
            </button>
          );
        })}
      </div>
    </Card>
  );
}

function Swatch({ platform, muted }: { platform: string; muted?: boolean }) {
  return <span aria-hidden="true" className={cx("size-2.5 shrink-0 rounded-[3px]", muted && "opacity-40")} style={{ background: `var(${platformColorVar(platform)})` }} />;
}

function ListEmpty({ children }: { children: React.ReactNode }) {
  return <p className="px-5 pb-5 text-[13px] text-subtle">{children}</p>;
}

function ProductsCard({ products, currency }: { products: GroupFigures[]; currency: string }) {
  return (
    <Card>
      <CardHeader title="Top products" description={`By net revenue in ${currency}`} />
      {products.length === 0 ? (
        <ListEmpty>No product sales in {currency} in this period.</ListEmpty>
      ) : (
        <ol className="px-2 pb-2">
          {products.slice(0, 10).map((p, i) => (
            <li key={`${p.key}-${p.platform ?? ""}`} className="flex items-center gap-3 rounded-md px-3 py-2 hover:bg-surface-2">
              <span className="w-4 text-right text-[12px] text-subtle tabular">{i + 1}</span>
              <div className="min-w-0 flex-1">
                <p className="truncate text-[13px] font-medium text-fg" title={p.name ?? p.key}>{p.name || p.key || "Unnamed product"}</p>
                <p className="mt-0.5 flex items-center gap-2 text-[12px] text-subtle">
                  <PlatformBadge platform={p.platform} />
                  <span className="tabular">{formatCount(p.units)} {p.units === 1 ? "unit" : "units"}</span>
                  {p.refunds_minor < 0 ? <span className="tabular">· refunds {formatMoney(p.refunds_minor, currency)}</span> : null}
                </p>
              </div>
              <span className="text-[13px] font-medium text-fg tabular">{formatMoney(p.net_minor, currency)}</span>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}

function PlatformBadge({ platform }: { platform: string | null | undefined }) {
  if (!platform) return <Badge>Several platforms</Badge>;
  return (
    <Badge className="gap-1.5">
      <Swatch platform={platform} />
      {platformName(platform)}
    </Badge>
  );
}

function ShareList({ rows, currency, label }: { rows: Array<{ key: string; label: React.ReactNode; net: number; sub?: React.ReactNode }>; currency: string; label: string }) {
  const max = Math.max(1, ...rows.map((r) => Math.abs(r.net)));
  return (
    <ul className="px-5 pb-4" aria-label={label}>
      {rows.map((r) => (
        <li key={r.key} className="py-1.5">
          <div className="flex items-baseline justify-between gap-3 text-[13px]">
            <span className="min-w-0 truncate text-fg">{r.label}</span>
            <span className="shrink-0 font-medium text-fg tabular">{formatMoney(r.net, currency)}</span>
          </div>
          <div className="mt-1 flex items-center gap-3">
            <div className="h-1.5 flex-1 overflow-hidden rounded-full bg-surface-2">
              <div className="h-full rounded-full bg-accent/70" style={{ width: `${Math.max(1, (Math.abs(r.net) / max) * 100)}%` }} />
            </div>
            {r.sub ? <span className="shrink-0 text-[12px] text-subtle tabular">{r.sub}</span> : null}
          </div>
        </li>
      ))}
    </ul>
  );
}

function PlatformsCard({ platforms, currency }: { platforms: GroupFigures[]; currency: string }) {
  const sorted = [...platforms].sort((a, b) => b.net_minor - a.net_minor);
  return (
    <Card>
      <CardHeader title="By platform" description={`Net revenue in ${currency}`} />
      {sorted.length === 0 ? (
        <ListEmpty>No {currency} revenue in this period.</ListEmpty>
      ) : (
        <ShareList
          label="Net revenue by platform"
          currency={currency}
          rows={sorted.map((p) => ({
            key: p.key,
            label: <span className="inline-flex items-center gap-2"><Swatch platform={p.key} />{platformName(p.key)}</span>,
            net: p.net_minor,
            sub: `${formatCount(p.units)} units`,
          }))}
        />
      )}
    </Card>
  );
}

function CountriesCard({ countries, currency }: { countries: GroupFigures[]; currency: string }) {
  const sorted = [...countries].sort((a, b) => b.net_minor - a.net_minor);
  const top = sorted.slice(0, 8);
  const rest = sorted.length - top.length;
  return (
    <Card>
      <CardHeader title="By country" description={rest > 0 ? `Top 8 of ${sorted.length} · ${currency}` : `Net revenue in ${currency}`} />
      {sorted.length === 0 ? (
        <ListEmpty>No {currency} revenue in this period.</ListEmpty>
      ) : (
        <ShareList
          label="Net revenue by country"
          currency={currency}
          rows={top.map((c) => ({
            key: c.key || "unknown",
            label: (
              <span className="inline-flex items-center gap-2">
                <span className="w-6 text-[11px] font-semibold text-subtle">{c.key || "—"}</span>
                {countryName(c.key)}
              </span>
            ),
            net: c.net_minor,
            sub: `${formatCount(c.events)} events`,
          }))}
        />
      )}
    </Card>
  );
}

function CurrenciesCard({ totals }: { totals: Figures[] }) {
  return (
    <Card>
      <CardHeader title="By currency" description="Each currency on its own; never added together" />
      <div className="overflow-x-auto px-2 pb-3">
        <table className="w-full text-[13px]">
          <thead>
            <tr className="text-left text-[12px] text-subtle">
              <th scope="col" className="px-3 py-1.5 font-medium">Currency</th>
              <th scope="col" className="px-3 py-1.5 text-right font-medium">Gross</th>
              <th scope="col" className="px-3 py-1.5 text-right font-medium">Refunds</th>
              <th scope="col" className="px-3 py-1.5 text-right font-medium">Net</th>
            </tr>
          </thead>
          <tbody>
            {totals.map((t) => (
              <tr key={t.currency} className="border-t border-line">
                <th scope="row" className="px-3 py-2 text-left font-medium text-fg">
                  {t.currency} <span className="font-normal text-subtle">{currencyName(t.currency)}</span>
                </th>
                <td className="px-3 py-2 text-right tabular">{formatMoney(t.gross_minor, t.currency)}</td>
                <td className="px-3 py-2 text-right text-muted tabular">{formatMoney(t.refunds_minor, t.currency)}</td>
                <td className="px-3 py-2 text-right font-medium tabular">{formatMoney(t.net_minor, t.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

/** `onDemo`: the demo's files end on the day they were made, so it opens on all of its time. */
function FirstRun({ onDemo }: { onDemo: () => void }) {
  const client = useQueryClient();
  const demo = useMutation({
    mutationFn: ipc.loadDemo,
    onSuccess: (info) => {
      onDemo();
      client.setQueryData(keys.appInfo, info);
      void invalidateLedger(client);
    },
    onError: (error) => toast({ tone: "error", title: "Could not load the demo", description: ipc.toCommandError(error).message }),
  });
  return (
    <div data-testid="empty-state" className="mx-auto flex max-w-[760px] flex-col items-center pt-10 pb-6 text-center">
      <div className="grid size-12 place-items-center rounded-2xl bg-accent-soft text-accent-text">
        <IconSparkle size={22} />
      </div>
      <h1 className="mt-4 text-2xl font-semibold tracking-tight text-fg">See all your income in one place</h1>
      <p className="mt-2 max-w-[520px] text-[14px] text-muted">
        Tributary keeps a ledger of what you earn on every platform, on this computer only. There are two ways to bring
        your income in.
      </p>
      <div className="mt-8 grid w-full gap-4 sm:grid-cols-2">
        <button
          type="button"
          data-testid="empty-import"
          onClick={() => void openImportDialog()}
          className="group flex flex-col items-start rounded-2xl border border-dashed border-line-strong bg-surface p-6 text-left shadow-card transition-colors hover:border-accent hover:bg-accent-soft/40"
        >
          <span className="grid size-10 place-items-center rounded-xl bg-surface-2 text-fg group-hover:bg-surface"><IconFile size={20} /></span>
          <span className="mt-4 text-base font-semibold text-fg">Drop a report file</span>
          <span className="mt-1 text-[13px] text-muted">
            A KDP workbook, a Stripe, Gumroad, Lemon Squeezy or Whatnot export, or any CSV. You see a preview before anything is added.
          </span>
          <span className="mt-4 text-[12.5px] font-medium text-accent-text">Choose files… <span className="text-subtle">or drag them anywhere onto this window</span></span>
        </button>
        <button
          type="button"
          data-testid="empty-connect"
          onClick={() => navigate("integrations")}
          className="group flex flex-col items-start rounded-2xl border border-line bg-surface p-6 text-left shadow-card transition-colors hover:border-accent hover:bg-accent-soft/40"
        >
          <span className="grid size-10 place-items-center rounded-xl bg-surface-2 text-fg group-hover:bg-surface"><IconPlug size={20} /></span>
          <span className="mt-4 text-base font-semibold text-fg">Connect a platform</span>
          <span className="mt-1 text-[13px] text-muted">
            Keep Stripe, Gumroad, Lemon Squeezy, Whop and others in sync automatically. Connections arrive in a coming version.
          </span>
          <span className="mt-4 text-[12.5px] font-medium text-accent-text">See integrations →</span>
        </button>
      </div>
      <Button variant="quiet" size="sm" className="mt-8" data-testid="load-demo" onClick={() => demo.mutate()} disabled={demo.isPending}>
        {demo.isPending ? "Loading demo data…" : "Load demo data"}
      </Button>
      <p className="text-[12px] text-subtle">Explore with sample sales; your own ledger stays empty and untouched.</p>
    </div>
  );
}

// re-exported for tests
export { bucketLabel };
