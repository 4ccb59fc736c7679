// The revenue chart's figures as a table: the same buckets and platforms, for reading exact amounts and
// for anyone who cannot use the chart (screen readers, keyboard only). Newest bucket first; buckets
// where nothing happened are left out.
import type { Bucket } from "../bindings";
import { formatMoney } from "../lib/format";
import { platformName } from "../lib/platforms";
import type { ChartColumns } from "../lib/series";
import { bucketLabel } from "./RevenueChart";

export function RevenueTable({ columns, hidden, currency, bucket }: { columns: ChartColumns; hidden: ReadonlySet<string>; currency: string; bucket: Bucket }) {
  const shown = columns.platforms.map((p, i) => ({ p, values: columns.values[i] ?? [] })).filter(({ p }) => !hidden.has(p));
  const rows = columns.days
    .map((day, i) => ({ day, i, total: shown.reduce((sum, { values }) => sum + (values[i] ?? 0), 0) }))
    .filter(({ i }) => shown.some(({ values }) => (values[i] ?? 0) !== 0))
    .reverse();
  if (rows.length === 0) return <p className="px-2 py-16 text-center text-[13px] text-subtle">No {currency} revenue over time in this period.</p>;
  return (
    <div className="max-h-[320px] overflow-auto" data-testid="revenue-table">
      <table className="w-full text-[13px]">
        <caption className="sr-only">Net revenue in {currency} by {bucket} and platform</caption>
        <thead className="sticky top-0 bg-surface">
          <tr className="text-left text-[12px] text-subtle">
            <th scope="col" className="px-2 py-1.5 font-medium">{bucket === "month" ? "Month" : bucket === "week" ? "Week" : "Day"}</th>
            {shown.map(({ p }) => (
              <th key={p} scope="col" className="px-2 py-1.5 text-right font-medium">{platformName(p)}</th>
            ))}
            <th scope="col" className="px-2 py-1.5 text-right font-medium">Total</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ day, i, total }) => (
            <tr key={day} className="border-t border-line">
              <th scope="row" className="px-2 py-1.5 text-left font-normal text-fg">
                {bucketLabel(day, bucket)}
                {columns.estimated[i] ? <span className="ml-1.5 text-[11px] text-warning">estimated</span> : null}
              </th>
              {shown.map(({ p, values }) => (
                <td key={p} className="px-2 py-1.5 text-right tabular">{formatMoney(values[i] ?? 0, currency)}</td>
              ))}
              <td className="px-2 py-1.5 text-right font-medium tabular">{formatMoney(total, currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
