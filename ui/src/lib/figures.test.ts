import { describe, expect, it } from "vitest";
import { addMoney, figure, figuresShown, NO_MONEY, reconciles, shownAmount } from "./figures";

const month = { sales_minor: 10_000, refunds_minor: 1_500, chargebacks_minor: 2_000, fees_minor: 640, adjustments_minor: -100, net_minor: 5_760 };

describe("money figures", () => {
  it("add up, deductions shown with their minus sign", () => {
    expect(reconciles(month)).toBe(true);
    const shown = figuresShown([month]);
    expect(shown.map((f) => f.label)).toEqual(["Sales", "Refunds", "Chargebacks", "Fees", "Adjustments", "Net"]);
    const terms = shown.slice(0, -1).reduce((sum, f) => sum + shownAmount(month, f), 0);
    expect(terms).toBe(month.net_minor);
    expect(shownAmount(month, figure("refunds_minor"))).toBe(-1_500);
  });

  it("leave out chargebacks and adjustments nobody has", () => {
    const plain = { ...month, chargebacks_minor: 0, adjustments_minor: 0, net_minor: 7_860 };
    expect(figuresShown([plain]).map((f) => f.label)).toEqual(["Sales", "Refunds", "Fees", "Net"]);
    expect(figuresShown([plain, month]).length).toBe(6);
  });

  it("say when figures do not add up", () => {
    expect(reconciles({ ...month, net_minor: 5_761 })).toBe(false);
    expect(addMoney(NO_MONEY, month)).toEqual(month);
  });
});
