// The dashboard's breakdowns of one currency: top products, platforms and countries, and every
// currency's figures side by side (never added together).
import type { Figures, GroupFigures } from "../../bindings";
import { Badge, Card, CardHeader } from "../../components/ui";
import { figuresShown, shownAmount } from "../../lib/figures";
import { countryName, currencyName, formatCount, formatMoney } from "../../lib/format";
import { platformColorVar, platformName } from "../../lib/platforms";
import { countOf } from "../../lib/plural";
import { Swatch } from "./ChartCard";

function ListEmpty({ children }: { children: React.ReactNode }) {
  return <p className="px-5 pb-5 text-[13px] text-subtle">{children}</p>;
}

/** Products that share a name (a book's Kindle and paperback editions, one title in two stores) are
 *  told apart by their ids. */
function sharedNames(products: GroupFigures[]): Set<string> {
  const seen = new Map<string, number>();
  for (const p of products) if (p.name) seen.set(p.name, (seen.get(p.name) ?? 0) + 1);
  return new Set([...seen].filter(([, n]) => n > 1).map(([name]) => name));
}

export function ProductsCard({ products, currency }: { products: GroupFigures[]; currency: string }) {
  const top = products.slice(0, 10);
  const shared = sharedNames(top);
  return (
    <Card>
      <CardHeader title="Top products" description={`By net in ${currency}`} />
      {top.length === 0 ? (
        <ListEmpty>No product sales in {currency} in this period.</ListEmpty>
      ) : (
        <ol className="px-2 pb-2">
          {top.map((p, i) => (
            <li key={`${p.key}-${p.platform ?? ""}`} className="flex items-center gap-3 rounded-md px-3 py-2 hover:bg-surface-2" data-testid="product-row">
              <span className="w-4 text-right text-[12px] text-subtle tabular">{i + 1}</span>
              <div className="min-w-0 flex-1">
                <p className="truncate text-[13px] font-medium text-fg" title={p.name ? `${p.name} (${p.key})` : p.key}>
                  {p.name || p.key || "Unnamed product"}
                  {p.name && shared.has(p.name) ? <span className="ml-1.5 font-normal text-subtle" data-testid="product-id">{p.key}</span> : null}
                </p>
                <p className="mt-0.5 flex items-center gap-2 text-[12px] text-subtle">
                  <PlatformBadge platform={p.platform} />
                  <span className="tabular">{countOf(p.units, "unit", "units", formatCount)}</span>
                  {p.refunds_minor !== 0 ? <span className="tabular">· refunds {formatMoney(-p.refunds_minor, currency)}</span> : null}
                </p>
              </div>
              <span className="text-[13px] font-medium whitespace-nowrap text-fg tabular">{formatMoney(p.net_minor, currency)}</span>
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

interface ShareRow { key: string; label: React.ReactNode; net: number; sub?: string; color?: string }

/** Rows with a bar each, every bar on a track of the same length, the detail beside the amount. */
function ShareList({ rows, currency, label }: { rows: ShareRow[]; currency: string; label: string }) {
  const max = Math.max(1, ...rows.map((r) => Math.abs(r.net)));
  return (
    <ul className="px-5 pb-4" aria-label={label}>
      {rows.map((r) => (
        <li key={r.key} className="py-1.5">
          <div className="flex items-baseline justify-between gap-3 text-[13px]">
            <span className="min-w-0 truncate text-fg">{r.label}</span>
            <span className="shrink-0 whitespace-nowrap tabular">
              {r.sub ? <span className="mr-2 text-[12px] text-subtle">{r.sub}</span> : null}
              <span className="font-medium text-fg">{formatMoney(r.net, currency)}</span>
            </span>
          </div>
          <div className="mt-1 h-1.5 overflow-hidden rounded-full bg-surface-2">
            <div className="h-full rounded-full" style={{ width: `${Math.max(1, (Math.abs(r.net) / max) * 100)}%`, background: r.color ?? "color-mix(in srgb, var(--accent) 70%, transparent)" }} />
          </div>
        </li>
      ))}
    </ul>
  );
}

export function PlatformsCard({ platforms, currency }: { platforms: GroupFigures[]; currency: string }) {
  const sorted = [...platforms].sort((a, b) => b.net_minor - a.net_minor);
  return (
    <Card>
      <CardHeader title="By platform" description={`Net in ${currency}`} />
      {sorted.length === 0 ? (
        <ListEmpty>No {currency} income in this period.</ListEmpty>
      ) : (
        <ShareList
          label="Net by platform"
          currency={currency}
          rows={sorted.map((p) => ({
            key: p.key,
            label: <span className="inline-flex items-center gap-2"><Swatch platform={p.key} />{platformName(p.key)}</span>,
            net: p.net_minor,
            sub: countOf(p.units, "unit", "units", formatCount),
            color: `var(${platformColorVar(p.key)})`,
          }))}
        />
      )}
    </Card>
  );
}

export function CountriesCard({ countries, currency }: { countries: GroupFigures[]; currency: string }) {
  const sorted = [...countries].sort((a, b) => b.net_minor - a.net_minor);
  const top = sorted.slice(0, 8);
  const rest = sorted.length - top.length;
  return (
    <Card>
      <CardHeader title="By country" description={rest > 0 ? `Top 8 of ${sorted.length} · net in ${currency}` : `Net in ${currency}`} />
      {sorted.length === 0 ? (
        <ListEmpty>No {currency} income in this period.</ListEmpty>
      ) : (
        <ShareList
          label="Net by country"
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
            sub: countOf(c.events, "event", "events", formatCount),
          }))}
        />
      )}
    </Card>
  );
}

export function CurrenciesCard({ totals }: { totals: Figures[] }) {
  const shown = figuresShown(totals);
  return (
    <Card>
      <CardHeader title="By currency" description="Each currency on its own; never added together" />
      <div className="overflow-x-auto px-2 pb-3">
        <table className="w-full text-[13px]" data-testid="by-currency">
          <thead>
            <tr className="text-left text-[12px] text-subtle">
              <th scope="col" className="px-3 py-1.5 font-medium">Currency</th>
              {shown.map((n) => <th key={n.key} scope="col" className="px-3 py-1.5 text-right font-medium" title={n.meaning}>{n.label}</th>)}
            </tr>
          </thead>
          <tbody>
            {totals.map((t) => (
              <tr key={t.currency} className="border-t border-line" data-currency={t.currency}>
                <th scope="row" className="px-3 py-2 text-left font-medium whitespace-nowrap text-fg" title={currencyName(t.currency)}>{t.currency}</th>
                {shown.map((n) => (
                  <td key={n.key} data-figure={n.key} data-minor={String(t[n.key])}
                    className={n.key === "net_minor" ? "px-3 py-2 text-right font-medium whitespace-nowrap tabular" : "px-3 py-2 text-right whitespace-nowrap text-muted tabular"}>
                    {formatMoney(shownAmount(t, n), t.currency)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
