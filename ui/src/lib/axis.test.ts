import { describe, expect, it } from "vitest";
import { coarserBucket, moneyTickLabels, xTicks } from "./axis";
import { toColumns } from "./series";
import type { SeriesPoint } from "../bindings";

function months(from: string, count: number): string[] {
  const out: string[] = [];
  const d = new Date(`${from}-01T00:00:00Z`);
  for (let i = 0; i < count; i++) {
    out.push(d.toISOString().slice(0, 10));
    d.setUTCMonth(d.getUTCMonth() + 1);
  }
  return out;
}

function daysFrom(from: string, count: number, every = 1): string[] {
  const out: string[] = [];
  const d = new Date(`${from}T00:00:00Z`);
  for (let i = 0; i < count; i++) {
    out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + every);
  }
  return out;
}

const point = (bucket: string, net: number): SeriesPoint => ({
  bucket, platform: "kdp", currency: "USD", sales_minor: net, refunds_minor: 0, chargebacks_minor: 0, fees_minor: 0,
  adjustments_minor: 0, net_minor: net, units: 1, kenp_pages: 0, events: 1, estimated_events: 0,
});

describe("the chart's x axis", () => {
  it("labels each month of a custom range once, under its own bar", () => {
    // Aug 15 to Dec 10, grouped by month: five bars, five labels, in order, none repeated.
    const columns = toColumns([point("2026-08-01", 100), point("2026-10-01", 300)], "USD", "month", "2026-08-15", "2026-12-10");
    expect(columns.days).toEqual(["2026-08-01", "2026-09-01", "2026-10-01", "2026-11-01", "2026-12-01"]);
    const ticks = xTicks(columns.days, "month", 800, "en-US");
    expect(ticks.indices).toEqual([0, 1, 2, 3, 4]);
    expect(ticks.labels).toEqual(["Aug 2026", "Sep 2026", "Oct 2026", "Nov 2026", "Dec 2026"]);
  });

  it("spans the data for all time, not years past it", () => {
    const columns = toColumns([point("2026-11-01", 100)], "USD", "month", null, null);
    expect(columns.days).toEqual(["2026-11-01"]);
    expect(columns.xs).toEqual([0]);
    expect(xTicks(columns.days, "month", 800, "en-US").labels).toEqual(["Nov 2026"]);
  });

  it("thins month labels to quarters and years when they would collide", () => {
    const days = months("2021-01", 72);
    const quarters = xTicks(days, "month", 500, "en-US");
    expect(quarters.labels.length).toBeLessThan(days.length);
    for (const i of quarters.indices) expect(Number(days[i]!.slice(5, 7)) % 3).toBe(1);
    const years = xTicks(days, "month", 300, "en-US");
    expect(years.labels).toEqual(["Jan 2021", "Jan 2022", "Jan 2023", "Jan 2024", "Jan 2025", "Jan 2026"]);
  });

  it("labels a year of days at month starts, readable", () => {
    const days = daysFrom("2025-12-04", 365);
    const ticks = xTicks(days, "day", 900, "en-US");
    expect(ticks.indices.every((i) => days[i]!.endsWith("-01"))).toBe(true);
    // No two labels closer than a label's width.
    const slot = 900 / days.length;
    ticks.indices.slice(1).forEach((i, k) => expect((i - ticks.indices[k]!) * slot).toBeGreaterThanOrEqual(50));
  });

  it("labels a month of days every day, every other day or on Mondays, as the width allows", () => {
    const days = daysFrom("2026-11-01", 30);
    expect(xTicks(days, "day", 2400, "en-US").indices.length).toBe(30);
    const mondays = xTicks(days, "day", 500, "en-US");
    expect(mondays.indices.every((i) => new Date(`${days[i]}T00:00:00Z`).getUTCDay() === 1)).toBe(true);
    expect(mondays.labels[0]).toBe("Nov 2");
  });

  it("labels weeks by their Monday, then by month", () => {
    const weeks = daysFrom("2026-01-05", 52, 7);
    const wide = xTicks(weeks, "week", 4000, "en-US");
    expect(wide.indices.length).toBe(52);
    const narrow = xTicks(weeks, "week", 600, "en-US");
    expect(narrow.labels.every((l) => / 2026$/.test(l))).toBe(true);
  });

  it("suggests a coarser grouping when bars get thinner than a few pixels", () => {
    expect(coarserBucket("day", 365, 800)).toBe("week");
    expect(coarserBucket("day", 30, 800)).toBeNull();
    expect(coarserBucket("week", 600, 800)).toBe("month");
    expect(coarserBucket("month", 2000, 800)).toBeNull();
  });
});

describe("the chart's money axis", () => {
  it("reads as money in the creator's locale", () => {
    expect(moneyTickLabels([0, 250, 500, 750, 1000, 1250], "USD", "en-US")).toEqual(["$0", "$250", "$500", "$750", "$1,000", "$1,250"]);
    expect(moneyTickLabels([0, 0.5, 1, 1.5], "USD", "en-US")).toEqual(["$0.00", "$0.50", "$1.00", "$1.50"]);
    expect(moneyTickLabels([0, 12500, 25000], "USD", "en-US")).toEqual(["$0", "$12.5K", "$25K"]);
    expect(moneyTickLabels([0, 1250000], "USD", "en-US")).toEqual(["$0", "$1.25M"]);
    expect(moneyTickLabels([0, 500, 1000], "EUR", "de-DE")).toEqual(["0\u00a0€", "500\u00a0€", "1.000\u00a0€"]);
    expect(moneyTickLabels([0, 5000], "JPY", "ja-JP")).toEqual(["￥0", "￥5,000"]);
  });
});
