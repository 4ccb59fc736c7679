import { useEffect, useMemo, useState } from "react";
import type { Bucket, Dashboard, DashboardQuery, Period } from "../bindings";
import { IconAlert, IconImport } from "../components/icons";
import { Badge, Button, Card, cx, ErrorState, inputClass, PageHeader, Segmented, Skeleton } from "../components/ui";
import * as ipc from "../ipc";
import { openImportDialog } from "../lib/actions";
import { byMonth } from "../lib/estimates";
import { formatCount, formatDay, formatMonth, parseDay, toDay } from "../lib/format";
import { platformName } from "../lib/platforms";
import { plural } from "../lib/plural";
import { FIRST_DASHBOARD, useAppInfo, useDashboard } from "../lib/queries";
import { CountriesCard, CurrenciesCard, PlatformsCard, ProductsCard } from "./dashboard/Breakdowns";
import { ChartCard } from "./dashboard/ChartCard";
import { FirstRun } from "./dashboard/FirstRun";
import { Totals } from "./dashboard/Totals";

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
let remembered: DashboardQuery = FIRST_DASHBOARD;

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
      // Once the frame holding the screen is painted, not when React has committed it: a commit that
      // forces no layout (the first-run screen) comes before the window's first style, layout and paint
      // (~200 ms here), one that does (the dashboard's chart measures its width) after them, so timing
      // commits would compare the two screens unfairly. A task queued from the frame's callback runs
      // after that frame is drawn.
      requestAnimationFrame(() =>
        setTimeout(() => {
          // Only a log line in the shell: nothing to tell the person if it fails.
          ipc.windowShown(shown).catch(() => undefined);
        }, 0),
      );
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
            <DashboardBody data={dash.data} bucket={query.bucket} fetching={dash.isFetching} onShow={setQuery} onBucket={(bucket) => setQuery({ ...query, bucket })} />
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

function DashboardBody({ data, bucket, fetching, onShow, onBucket }: { data: Dashboard; bucket: Bucket; fetching: boolean; onShow: (q: DashboardQuery) => void; onBucket: (b: Bucket) => void }) {
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
      {estimated.length > 0 ? <EstimatedNote data={data} /> : null}
      <Totals totals={ordered} previous={data.previous} allTime={!data.previous_from} partial={data.comparison_partial} />
      {currency ? (
        <>
          <ChartCard data={data} bucket={bucket} currency={currency} currencies={currencies} onCurrency={setPicked} onBucket={onBucket} />
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

/** What is still estimated, exactly (month, marketplace, currency), and the report that settles it. */
function EstimatedNote({ data }: { data: Dashboard }) {
  const months = byMonth(data.still_estimated ?? []);
  return (
    <div className="flex items-start gap-3 rounded-xl border border-warning/30 bg-warning-soft px-4 py-3 text-[13px]" role="note" data-testid="estimated-note">
      <Badge tone="warning" data-testid="estimated-badge" className="mt-px border-warning/40">
        <IconAlert size={11} /> estimated
      </Badge>
      {months.length === 0 ? (
        <p className="text-fg">
          KDP figures for <span className="font-medium">{(data.estimated_months ?? []).map((m) => formatMonth(m)).join(", ")}</span> are estimates from the
          daily dashboard report. They are replaced when you import that month's Prior Months' Royalties report.
        </p>
      ) : (
        <div className="flex flex-col gap-1 text-fg">
          {months.map((m) => (
            <p key={m.month} data-testid="estimated-month" data-month={m.month}>
              <span className="font-medium">{formatMonth(m.month)}</span>: {formatCount(m.events)} estimated {plural(m.events, "event", "events")} in{" "}
              {m.marketplaces.join(", ")} ({m.currencies.join(", ")}), from KDP's daily report. Importing the Prior Months' Royalties report for{" "}
              {formatMonth(m.month)} replaces them with the final figures.
            </p>
          ))}
          <p className="text-muted">Figures marked * include estimates.</p>
        </div>
      )}
    </div>
  );
}



