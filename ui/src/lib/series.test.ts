import { describe, expect, it } from "vitest";
import type { SeriesPoint } from "../bindings";
import { bucketStart, toColumns } from "./series";

const pt = (bucket: string, platform: string, net: number, currency = "USD"): SeriesPoint => ({
  bucket, platform, currency, sales_minor: net + 10, refunds_minor: 0, chargebacks_minor: 0, fees_minor: 10, adjustments_minor: 0,
  net_minor: net, units: 1, kenp_pages: 0, events: 1, estimated_events: 0,
});

describe("chart columns", () => {
  it("fills empty buckets and keeps currencies apart", () => {
    const c = toColumns([pt("2026-03-01", "kdp", 100), pt("2026-03-03", "stripe", 300), pt("2026-03-03", "kdp", 50), pt("2026-03-02", "kdp", 999, "EUR")], "USD", "day", "2026-03-01", "2026-03-04");
    expect(c.days).toEqual(["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"]);
    expect(c.platforms).toEqual(["stripe", "kdp"]);
    expect(c.values).toEqual([[0, 0, 300, 0], [100, 0, 50, 0]]);
    expect(c.money[1]![2]).toEqual({ sales_minor: 60, refunds_minor: 0, chargebacks_minor: 0, fees_minor: 10, adjustments_minor: 0, net_minor: 50 });
    expect(c.money[1]![1]!.net_minor).toBe(0);
  });
  it("starts weeks on Monday and months on the first", () => {
    expect(bucketStart("2026-11-26", "week")).toBe("2026-11-23");
    expect(bucketStart("2026-11-26", "month")).toBe("2026-11-01");
  });
  it("spans four years of days", () => {
    const points: SeriesPoint[] = [];
    for (let i = 0; i < 1461; i++) {
      const d = new Date(Date.UTC(2022, 0, 1 + i)).toISOString().slice(0, 10);
      for (const p of ["a", "b", "c", "d", "e", "f"]) points.push(pt(d, p, i));
    }
    const c = toColumns(points, "USD", "day", null, null);
    expect(c.xs).toHaveLength(1461);
    expect(c.values).toHaveLength(6);
  });
});
