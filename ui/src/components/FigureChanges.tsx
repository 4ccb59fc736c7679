// What an import, or an undo, changes in the figures, per currency: the engine's figures named and
// signed as the dashboard's cards show them, so each column is what that card moves by.
import type { Figures } from "../bindings";
import { figuresShown, shownAmount } from "../lib/figures";
import { formatMoney } from "../lib/format";
import { cx } from "./ui";

/** A table of figure changes per currency ("what the ledger's figures change by"), as the preview shows. */
export function FigureChanges({ changes, testId }: { changes: Figures[]; testId: string }) {
  const shown = figuresShown(changes);
  return (
    <table className="w-full text-[13px]" data-testid={testId}>
      <thead>
        <tr className="text-left text-[12px] text-subtle">
          <th scope="col" className="py-1 pr-2 font-medium">Currency</th>
          {shown.map((n) => <th key={n.key} scope="col" title={n.meaning} className="py-1 pl-2 text-right font-medium">{n.label}</th>)}
        </tr>
      </thead>
      <tbody>
        {changes.map((f) => (
          <tr key={f.currency} className="border-t border-line" data-currency={f.currency}>
            <th scope="row" className="py-1.5 pr-2 text-left font-medium">{f.currency}</th>
            {shown.map((n) => (
              <td key={n.key} data-figure={n.key} data-minor={String(f[n.key])}
                className={cx("py-1.5 pl-2 text-right whitespace-nowrap tabular", n.key === "net_minor" ? "font-semibold" : "text-muted")}>
                {formatMoney(shownAmount(f, n), f.currency, { signed: true })}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
