// The money figures as the engine names them (bindings/figureNames.ts, generated from
// crates/engine/src/figure_names.rs): Sales − Refunds − Chargebacks − Fees + Adjustments = Net. Every
// card, table, tooltip and preview names and signs them through here, so they all add up the same way.
import type { Figures } from "../bindings";
import { MONEY_FIGURES } from "../bindings/figureNames";

export type MoneyFigure = (typeof MONEY_FIGURES)[number];
export type FigureKey = MoneyFigure["key"];
export type FigureAmounts = Pick<Figures, FigureKey>;

export { MONEY_FIGURES };

export const NO_MONEY: FigureAmounts = {
  sales_minor: 0,
  refunds_minor: 0,
  chargebacks_minor: 0,
  fees_minor: 0,
  adjustments_minor: 0,
  net_minor: 0,
};

export function figure(key: FigureKey): MoneyFigure {
  return MONEY_FIGURES.find((f) => f.key === key)!;
}

/** The amount as shown: a deduction (refunds, chargebacks, fees) with its minus sign. */
export function shownAmount(f: FigureAmounts, name: MoneyFigure): number {
  const v = f[name.key];
  return name.deducted ? -v : v;
}

/** The figures worth showing for these sums: Sales, Refunds, Fees and Net always; Chargebacks and
 *  Adjustments where any of them has some. */
export function figuresShown(all: readonly FigureAmounts[]): MoneyFigure[] {
  return MONEY_FIGURES.filter((name) => name.always || all.some((f) => f[name.key] !== 0));
}

/** Whether the figures add up (they always should: the engine sums them so). */
export function reconciles(f: FigureAmounts): boolean {
  return f.sales_minor - f.refunds_minor - f.chargebacks_minor - f.fees_minor + f.adjustments_minor === f.net_minor;
}

/** `a` + `b`, figure by figure. */
export function addMoney(a: FigureAmounts, b: FigureAmounts): FigureAmounts {
  return {
    sales_minor: a.sales_minor + b.sales_minor,
    refunds_minor: a.refunds_minor + b.refunds_minor,
    chargebacks_minor: a.chargebacks_minor + b.chargebacks_minor,
    fees_minor: a.fees_minor + b.fees_minor,
    adjustments_minor: a.adjustments_minor + b.adjustments_minor,
    net_minor: a.net_minor + b.net_minor,
  };
}
