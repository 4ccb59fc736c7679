// Turns the dashboard's sparse series (only non-empty buckets) into dense columns for a chart:
// one x per bucket between the first and the last (of the period asked, or of the data for all time),
// one column per platform, in one currency.
import type { Bucket, SeriesPoint } from "../bindings";
import { addMoney, type FigureAmounts, NO_MONEY } from "./figures";
import { parseDay, toDay } from "./format";

export interface ChartColumns {
  /** bucket start days, YYYY-MM-DD */
  days: string[];
  /** the buckets' positions on the x axis: 0, 1, 2… (one slot per bucket, whatever its length) */
  xs: number[];
  platforms: string[];
  /** values[p][i]: net minor units of platform p in bucket i */
  values: number[][];
  /** money[p][i]: every money figure of platform p in bucket i (the tooltip's and table's breakdown) */
  money: FigureAmounts[][];
  /** buckets with estimated events */
  estimated: boolean[];
}

function step(day: Date, bucket: Bucket): Date {
  const d = new Date(day.getTime());
  if (bucket === "day") d.setUTCDate(d.getUTCDate() + 1);
  else if (bucket === "week") d.setUTCDate(d.getUTCDate() + 7);
  else d.setUTCMonth(d.getUTCMonth() + 1, 1);
  return d;
}

/** The first day of the bucket that holds `day`: weeks start on Monday (ISO), months on the 1st. */
export function bucketStart(day: string, bucket: Bucket): string {
  const d = parseDay(day);
  if (bucket === "week") d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  if (bucket === "month") d.setUTCDate(1);
  return toDay(d);
}

export function toColumns(series: SeriesPoint[], currency: string, bucket: Bucket, from: string | null, to: string | null): ChartColumns {
  const points = series.filter((p) => p.currency === currency);
  const totals = new Map<string, number>();
  for (const p of points) totals.set(p.platform, (totals.get(p.platform) ?? 0) + p.net_minor);
  const platforms = [...totals.keys()].sort((a, b) => (totals.get(b) ?? 0) - (totals.get(a) ?? 0) || a.localeCompare(b));

  let first = points[0]?.bucket ?? null;
  let last = points[points.length - 1]?.bucket ?? null;
  for (const p of points) {
    if (first === null || p.bucket < first) first = p.bucket;
    if (last === null || p.bucket > last) last = p.bucket;
  }
  // Span the whole period when it is bounded, so an empty end of the period shows as empty.
  if (from) first = bucketStart(from, bucket) < (first ?? "9999") ? bucketStart(from, bucket) : first;
  if (to) {
    const end = bucketStart(to, bucket);
    if (!last || end > last) last = end;
  }
  if (!first || !last) return { days: [], xs: [], platforms, values: platforms.map(() => []), money: platforms.map(() => []), estimated: [] };

  const days: string[] = [];
  const index = new Map<string, number>();
  let guard = 0;
  for (let d = parseDay(first); toDay(d) <= last && guard < 20000; d = step(d, bucket), guard++) {
    index.set(toDay(d), days.length);
    days.push(toDay(d));
  }
  const pIndex = new Map(platforms.map((p, i) => [p, i]));
  const values = platforms.map(() => new Array<number>(days.length).fill(0));
  const money = platforms.map(() => new Array<FigureAmounts>(days.length).fill(NO_MONEY));
  const estimated = new Array<boolean>(days.length).fill(false);
  for (const p of points) {
    const i = index.get(p.bucket) ?? index.get(bucketStart(p.bucket, bucket));
    const j = pIndex.get(p.platform);
    if (i === undefined || j === undefined) continue;
    values[j]![i]! += p.net_minor;
    money[j]![i] = addMoney(money[j]![i]!, p);
    if (p.estimated_events > 0) estimated[i] = true;
  }
  return { days, xs: days.map((_, i) => i), platforms, values, money, estimated };
}
