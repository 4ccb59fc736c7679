// The revenue chart's figures as a table: the same buckets and platforms, for reading exact amounts and
// for anyone who cannot use the chart (screen readers, keyboard only), with each bucket's figures as
// the cards name them (Sales − Refunds − Fees = Net over the platforms shown). Newest bucket first;
// buckets where nothing happened are left out.
import { useLayoutEffect, useRef, useState } from "react";
import type { Bucket } from "../bindings";
import { addMoney, figuresShown, NO_MONEY, shownAmount } from "../lib/figures";
import { formatMoney, fractionDigits, minorToDecimalString } from "../lib/format";
import { platformName } from "../lib/platforms";
import type { ChartColumns } from "../lib/series";
import { bucketLabel } from "./RevenueChart";

/** What the table shows: the platforms not hidden, the buckets where one of them has money (oldest
 *  first) with their figures summed over those platforms, and which figures to show. The screen and
 *  its CSV both read this. */
function tableModel(columns: ChartColumns, hidden: ReadonlySet<string>) {
  const shown = columns.platforms
    .map((p, i) => ({ p, values: columns.values[i] ?? [], money: columns.money[i] ?? [] }))
    .filter(({ p }) => !hidden.has(p));
  const rows = columns.days
    .map((day, i) => ({ day, i, money: shown.reduce((sum, { money }) => addMoney(sum, money[i] ?? NO_MONEY), NO_MONEY) }))
    .filter(({ i }) => shown.some(({ money }) => Object.values(money[i] ?? NO_MONEY).some((v) => v !== 0)));
  return { shown, rows, figures: figuresShown(rows.map((r) => r.money)) };
}

/** The table as rows of text for a CSV: amounts as plain decimals in the currency's units. */
export function tableRows(columns: ChartColumns, hidden: ReadonlySet<string>, currency: string, bucket: Bucket): string[][] {
  const { shown, rows, figures } = tableModel(columns, hidden);
  const digits = fractionDigits(currency);
  const decimal = (minor: number) => minorToDecimalString(minor, digits);
  const header = [bucket === "month" ? "Month" : bucket === "week" ? "Week of" : "Day", "Currency", ...shown.map(({ p }) => `${platformName(p)} net`), ...figures.map((f) => f.label)];
  return [
    header,
    ...rows.map(({ day, i, money }) => [bucket === "month" ? day.slice(0, 7) : day, currency, ...shown.map(({ values }) => decimal(values[i] ?? 0)), ...figures.map((f) => decimal(shownAmount(money, f)))]),
  ];
}

/** The most the table's box may take before it scrolls. */
const MAX_HEIGHT_PX = 320;

/** The box's height and scroll stops, so that no row in view is ever cut in half: the header and as
 *  many whole rows as fit in `MAX_HEIGHT_PX`, and scrolling that stops on a row's edge below the
 *  sticky header. Rows of this table do not wrap, so the first row's height is every row's; until
 *  measured (and where nothing lays out, as in tests) the box is just `MAX_HEIGHT_PX` high. */
function useWholeRows(rowCount: number) {
  const box = useRef<HTMLDivElement>(null);
  const [fit, setFit] = useState<{ head: number; height: number } | undefined>(undefined);
  useLayoutEffect(() => {
    const el = box.current;
    const head = el?.querySelector("thead")?.getBoundingClientRect().height ?? 0;
    const row = el?.querySelector("tbody tr")?.getBoundingClientRect().height ?? 0;
    if (!el || row <= 0) return setFit(undefined);
    // A horizontal scrollbar (a narrow window, many platforms) takes its height from the rows'.
    const bar = el.offsetHeight - el.clientHeight;
    const rows = Math.max(1, Math.floor((MAX_HEIGHT_PX - head - bar) / row));
    setFit(rows >= rowCount ? undefined : { head, height: head + rows * row + bar });
  }, [rowCount]);
  return { box, style: fit ? { maxHeight: fit.height, scrollPaddingTop: fit.head } : { maxHeight: MAX_HEIGHT_PX } };
}

export function RevenueTable({ columns, hidden, currency, bucket }: { columns: ChartColumns; hidden: ReadonlySet<string>; currency: string; bucket: Bucket }) {
  const model = tableModel(columns, hidden);
  const { shown, figures } = model;
  // Newest bucket first.
  const rows = [...model.rows].reverse();
  const { box, style } = useWholeRows(rows.length);
  if (rows.length === 0) return <p className="px-2 py-16 text-center text-[13px] text-subtle">No {currency} income over time in this period.</p>;
  return (
    <div ref={box} style={style} className="snap-y snap-mandatory overflow-auto" data-testid="revenue-table">
      <table className="w-full text-[13px]">
        <caption className="sr-only">Net in {currency} by {bucket} and platform, and each {bucket}'s figures</caption>
        <thead className="sticky top-0 z-10 bg-surface">
          <tr className="text-left text-[12px] text-subtle">
            <th scope="col" className="px-2 py-1.5 font-medium">{bucket === "month" ? "Month" : bucket === "week" ? "Week" : "Day"}</th>
            {shown.map(({ p }) => (
              <th key={p} scope="col" className="px-2 py-1.5 text-right font-medium whitespace-nowrap">{platformName(p)}</th>
            ))}
            {figures.map((f) => (
              <th key={f.key} scope="col" title={f.meaning} className="px-2 py-1.5 text-right font-medium">{f.label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ day, i, money }) => (
            <tr key={day} className="snap-start border-t border-line" data-testid="revenue-row" data-bucket={day}>
              <th scope="row" className="px-2 py-1.5 text-left font-normal whitespace-nowrap text-fg">
                {bucketLabel(day, bucket)}
                {columns.estimated[i] ? <span className="ml-1.5 text-[11px] text-warning">estimated</span> : null}
              </th>
              {shown.map(({ p, values }) => (
                <td key={p} className="px-2 py-1.5 text-right whitespace-nowrap tabular">{formatMoney(values[i] ?? 0, currency)}</td>
              ))}
              {figures.map((f) => (
                <td key={f.key} data-figure={f.key} data-minor={String(money[f.key])}
                  className={f.key === "net_minor" ? "px-2 py-1.5 text-right font-medium whitespace-nowrap tabular" : "px-2 py-1.5 text-right whitespace-nowrap text-muted tabular"}>
                  {formatMoney(shownAmount(money, f), currency)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
