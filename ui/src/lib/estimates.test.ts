import { describe, expect, it } from "vitest";
import { byMonth, replacesSentence } from "./estimates";

const p = (month: string, marketplace: string, currency: string, events: number, files = ["KDP_Dashboard-2026-03.xlsx"]) => ({ month, marketplace, platform: "kdp", currency, events, files });

describe("estimates in words", () => {
  it("say what a finals file replaces, month by month", () => {
    expect(replacesSentence([p("2026-03", "Amazon.com", "USD", 40), p("2026-03", "Amazon.de", "EUR", 4)], true)).toBe(
      "Replaces 44 estimated events of March 2026 (Amazon.com, Amazon.de) from KDP_Dashboard-2026-03.xlsx.",
    );
    expect(replacesSentence([p("2026-02", "Amazon.com", "USD", 1, [])], false)).toBe("Replaced 1 estimated event of February 2026 (Amazon.com).");
    expect(replacesSentence([], true)).toBeNull();
  });

  it("group periods by month with their currencies", () => {
    const months = byMonth([p("2026-10", "Amazon.com", "USD", 3), p("2026-11", "Amazon.com", "USD", 2), p("2026-11", "Amazon.de", "EUR", 1)]);
    expect(months.map((m) => [m.month, m.events, m.currencies.join("+")])).toEqual([["2026-10", 3, "USD"], ["2026-11", 3, "USD+EUR"]]);
  });
});
