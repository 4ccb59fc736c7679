// The dashboard's chart card: net over time in one currency, stacked by platform, as a chart or a
// table, with a legend that hides and shows platforms and a hint to group coarser when the buckets
// would be thinner than a bar can be drawn.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Bucket, Dashboard } from "../../bindings";
import { RevenueChart } from "../../components/RevenueChart";
import { RevenueTable, tableRows } from "../../components/RevenueTable";
import { Badge, Button, Card, CardHeader, cx, Segmented } from "../../components/ui";
import { coarserBucket } from "../../lib/axis";
import { saveTable } from "../../lib/exports";
import { formatMoney } from "../../lib/format";
import { platformColorVar, platformName } from "../../lib/platforms";
import { toColumns } from "../../lib/series";

/** The width of an element, followed as it resizes (0 until measured). */
function useWidth(): [number, (el: HTMLDivElement | null) => void] {
  const [width, setWidth] = useState(0);
  const observer = useRef<ResizeObserver | null>(null);
  useEffect(() => () => observer.current?.disconnect(), []);
  const measured = useCallback((el: HTMLDivElement | null) => {
    observer.current?.disconnect();
    if (!el) return;
    setWidth(el.clientWidth);
    observer.current = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.current.observe(el);
  }, []);
  return [width, measured];
}

export function ChartCard({ data, bucket, currency, currencies, onCurrency, onBucket }: { data: Dashboard; bucket: Bucket; currency: string; currencies: string[]; onCurrency: (c: string) => void; onBucket: (b: Bucket) => void }) {
  const [width, measured] = useWidth();
  const columns = useMemo(() => toColumns(data.series, currency, bucket, data.from, data.to), [data.series, currency, bucket, data.from, data.to]);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const toggle = (p: string) => {
    const next = new Set(hidden);
    if (next.has(p)) next.delete(p);
    else next.add(p);
    setHidden(next);
  };
  const [view, setView] = useState<"chart" | "table">("chart");
  // Past a few hundred days, a day is thinner than a bar can be drawn: offer the next grouping.
  const coarser = coarserBucket(bucket, columns.days.length, width);
  const totals = new Map<string, number>();
  columns.platforms.forEach((p, i) => totals.set(p, (columns.values[i] ?? []).reduce((a, b) => a + b, 0)));
  return (
    <Card>
      <CardHeader
        title={<span className="flex items-center gap-2">Net over time {data.estimated_months?.length ? <Badge tone="warning">includes estimates</Badge> : null}</span>}
        description={`${currency} · by ${bucket}, stacked by platform`}
        actions={
          <div className="flex flex-wrap items-center gap-2">
            {currencies.length > 1 ? (
              <Segmented label="Chart currency" value={currency} onChange={onCurrency} options={currencies.map((c) => ({ value: c, label: c, testId: `chart-currency-${c}` }))} />
            ) : null}
            {view === "table" ? (
              <Button size="sm" data-testid="save-table" onClick={() => void saveTable(`tributary-${currency.toLowerCase()}-by-${bucket}.csv`, tableRows(columns, hidden, currency, bucket))}>
                Save as CSV…
              </Button>
            ) : null}
            <Segmented label="Show as" value={view} onChange={setView} options={[{ value: "chart", label: "Chart", testId: "view-chart" }, { value: "table", label: "Table", testId: "view-table" }]} />
          </div>
        }
      />
      {coarser && view === "chart" ? (
        <p className="mx-5 mb-2 flex flex-wrap items-center gap-2 text-[12.5px] text-subtle" data-testid="coarser-bucket">
          {columns.days.length} {bucket}s are too many to tell apart at this width.
          <Button size="sm" variant="quiet" onClick={() => onBucket(coarser)}>Group by {coarser}</Button>
        </p>
      ) : null}
      {view === "table" ? (
        <div className="px-3 pb-2">
          <RevenueTable columns={columns} hidden={hidden} currency={currency} bucket={bucket} />
        </div>
      ) : (
        <div ref={measured} className="px-3 pb-2" data-testid="revenue-chart" role="img" aria-label={`Net revenue in ${currency} by ${bucket}, stacked by platform; the Table view lists the figures`}>
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

export function Swatch({ platform, muted }: { platform: string; muted?: boolean }) {
  return <span aria-hidden="true" className={cx("size-2.5 shrink-0 rounded-[3px]", muted && "opacity-40")} style={{ background: `var(${platformColorVar(platform)})` }} />;
}

