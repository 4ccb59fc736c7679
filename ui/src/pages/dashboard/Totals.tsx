// The period's money at the top of the dashboard: Net, Sales, Refunds and Fees per currency, and the
// line that shows how they add up (Sales − Refunds − Fees = Net, chargebacks and adjustments where
// there are some), named and signed as the engine names them (lib/figures.ts).
import type { Figures } from "../../bindings";
import { IconArrowDown, IconArrowUp } from "../../components/icons";
import { Card, cx } from "../../components/ui";
import { figure, figuresShown, type MoneyFigure, shownAmount } from "../../lib/figures";
import { currencyName, formatCount, formatMoney, percentChange, userLocale } from "../../lib/format";
import { plural } from "../../lib/plural";

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

function formatShare(ratio: number): string {
  return new Intl.NumberFormat(userLocale(), { style: "percent", maximumFractionDigits: 1 }).format(ratio);
}

/** "1.1% of sales", when there are sales to compare with. */
function shareOfSales(amount: number, sales: number): string | null {
  return sales > 0 && amount !== 0 ? `${formatShare(amount / sales)} of sales` : null;
}

/** The four cards of one currency: Net, Sales, Refunds, Fees. */
function cells({ figures: t, previous, allTime, partial }: CellProps, short = false): Array<{ label: string; testId: string; minor: number; value: string; sub: React.ReactNode; estimated: boolean }> {
  const c = t.currency;
  const card = (key: MoneyFigure["key"], sub: React.ReactNode) => {
    const name = figure(key);
    // Figures with estimates in them may still change: marked as the CLI marks them.
    const value = formatMoney(shownAmount(t, name), c) + (key === "net_minor" && t.estimated_events > 0 ? " *" : "");
    return { label: name.label, testId: `total-${key.replace("_minor", "")}`, minor: t[key], value, sub, estimated: key === "net_minor" && t.estimated_events > 0 };
  };
  const units = `${formatCount(t.units)} ${plural(t.units, "unit", "units")}`;
  const pages = t.kenp_pages > 0 ? ` · ${formatCount(t.kenp_pages)} KENP ${plural(t.kenp_pages, "page", "pages")}${short ? "" : " read"}` : "";
  return [
    card("net_minor", allTime ? <span>All time</span> : <Change current={t.net_minor} previous={previous?.net_minor} short={short} partial={partial} />),
    card("sales_minor", <span className="tabular" data-testid="total-units" data-currency={c} data-minor={String(t.units)}>{units}{pages}</span>),
    card("refunds_minor", <span className="tabular">{shareOfSales(t.refunds_minor, t.sales_minor) ?? (t.refunds_minor === 0 ? "No refunds" : "Refunds")}</span>),
    card("fees_minor", <span className="tabular">{shareOfSales(t.fees_minor, t.sales_minor) ?? (t.fees_minor === 0 ? "No fees" : "Fees")}</span>),
  ];
}

function StatCard({ label, value, children, testId, currency, minor, estimated }: { label: string; value: string; children?: React.ReactNode; testId: string; currency: string; minor: number; estimated: boolean }) {
  return (
    <Card className="min-w-0 px-4 py-3.5" data-testid={testId} data-currency={currency} data-minor={String(minor)} data-estimated={estimated ? "true" : undefined}>
      <p className="text-[12.5px] font-medium text-subtle">{label}</p>
      <p className="mt-1 truncate text-[22px] font-semibold tracking-tight text-fg tabular" title={value}>{value}</p>
      <div className="mt-1 min-h-5 truncate text-[12.5px] text-subtle">{children}</div>
    </Card>
  );
}

/** "Sales $7,573.99 − Refunds $83.78 − Fees $0.00 = Net $7,490.21": the figures as one sum, each term
 *  carrying its figure and exact amount for tests and screen readers. */
export function Identity({ figures: f, shown, label }: { figures: Figures; shown: MoneyFigure[]; label?: string }) {
  const terms = shown.filter((n) => n.key !== "net_minor");
  const net = figure("net_minor");
  return (
    <p className="flex flex-wrap items-baseline gap-x-1 gap-y-0.5 text-[12.5px] text-subtle" data-testid="figures-identity" data-currency={f.currency}>
      {label ? <span className="mr-1 font-semibold text-muted">{label}</span> : null}
      {terms.map((n, i) => (
        <span key={n.key} className="whitespace-nowrap">
          {i > 0 ? `${n.deducted ? "−" : "+"} ` : null}
          <span data-figure={n.key} data-minor={String(f[n.key])} title={n.meaning}>
            {n.label} <span className="text-fg tabular">{formatMoney(f[n.key], f.currency)}</span>
          </span>{" "}
        </span>
      ))}
      <span className="whitespace-nowrap">
        {"= "}
        <span data-figure="net_minor" data-minor={String(f.net_minor)} title={net.meaning}>
          {net.label} <span className="font-semibold text-fg tabular">{formatMoney(f.net_minor, f.currency)}</span>
        </span>
      </span>
    </p>
  );
}

export function Totals({ totals, previous, allTime, partial }: { totals: Figures[]; previous: Figures[]; allTime: boolean; partial: boolean }) {
  const prev = (c: string) => previous.find((p) => p.currency === c);
  const shown = figuresShown(totals);
  const only = totals.length === 1 ? totals[0] : undefined;
  if (only) {
    return (
      <div className="flex flex-col gap-2.5">
        <div className="grid grid-cols-2 gap-3 xl:grid-cols-4">
          {cells({ figures: only, previous: prev(only.currency), allTime, partial }).map((x) => (
            <StatCard key={x.testId} label={x.label} value={x.value} testId={x.testId} currency={only.currency} minor={x.minor} estimated={x.estimated}>{x.sub}</StatCard>
          ))}
        </div>
        <Identity figures={only} shown={shown} />
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
            {cells({ figures: totals[0]!, previous: undefined, allTime, partial }).map((x) => <th key={x.testId} scope="col" className="px-4 py-2.5 font-medium">{x.label}</th>)}
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
                <td key={x.testId} className="px-4 py-3" data-testid={x.testId} data-currency={t.currency} data-minor={String(x.minor)} data-estimated={x.estimated ? "true" : undefined}
                  title={x.estimated ? `Includes ${formatCount(t.estimated_events)} estimated events` : undefined}>
                  <span className={cx("block font-semibold tracking-tight whitespace-nowrap text-fg tabular", i === 0 ? "text-[20px]" : "text-[17px]")}>{x.value}</span>
                  <span className="mt-0.5 block text-[12px] whitespace-nowrap text-subtle">{x.sub}</span>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="flex flex-col gap-1 border-t border-line px-5 py-2.5">
        {totals.map((t) => <Identity key={t.currency} figures={t} shown={shown} label={t.currency} />)}
      </div>
    </Card>
  );
}
