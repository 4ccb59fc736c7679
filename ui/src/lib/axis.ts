// The chart's axes: which buckets get a label under them, and how money reads on the value axis. The
// x axis is the buckets themselves, one slot each, so that a label sits under its bar whatever the
// months' lengths; the ticks are the first set of candidates (every bucket, every second, Mondays,
// month starts, quarters, years…) whose labels do not collide at the chart's width.
import type { Bucket } from "../bindings";
import { formatDay, formatMonth, parseDay, userLocale } from "./format";

export interface XTicks {
  /** Indices into the buckets. */
  indices: number[];
  labels: string[];
}

interface Candidate {
  indices: number[];
  label: (day: string) => string;
}

const MONTH_STEPS = [1, 2, 3, 6, 12];

/** Rough width of a label at the axis' 11px font: wide enough to keep labels apart, never measured
 *  (no canvas in tests, and the chart draws on one). */
function labelWidth(text: string): number {
  return text.length * 6.4 + 12;
}

function range(n: number, every: number, offset = 0): number[] {
  const out: number[] = [];
  for (let i = offset; i < n; i += every) out.push(i);
  return out;
}

/** The first bucket of each month: the month's own, its 1st day, or the first week whose Monday is in it. */
function monthStarts(days: readonly string[], bucket: Bucket): number[] {
  const out: number[] = [];
  days.forEach((day, i) => {
    if (bucket === "month" || (bucket === "day" && day.endsWith("-01"))) out.push(i);
    else if (bucket === "week" && (i === 0 ? parseDay(day).getUTCDate() <= 7 : day.slice(0, 7) !== days[i - 1]!.slice(0, 7))) out.push(i);
  });
  return out;
}

function candidates(days: readonly string[], bucket: Bucket, locale: string | undefined): Candidate[] {
  const n = days.length;
  const dayLabel = (d: string) => formatDay(d, locale, "short");
  const monthLabel = (d: string) => formatMonth(d.slice(0, 7), locale, true);
  const starts = monthStarts(days, bucket);
  const months = MONTH_STEPS.map((step) => ({
    indices: starts.filter((i) => parseDay(days[i]!).getUTCMonth() % step === 0),
    label: monthLabel,
  }));
  if (bucket === "month") return months;
  if (bucket === "week") return [{ indices: range(n, 1), label: dayLabel }, { indices: range(n, 2), label: dayLabel }, { indices: range(n, 4), label: dayLabel }, ...months];
  const firstMonday = days.findIndex((d) => parseDay(d).getUTCDay() === 1);
  const mondays = firstMonday < 0 ? [] : range(n, 7, firstMonday);
  return [
    { indices: range(n, 1), label: dayLabel },
    { indices: range(n, 2), label: dayLabel },
    { indices: mondays, label: dayLabel },
    { indices: mondays.filter((_, k) => k % 2 === 0), label: dayLabel },
    ...months,
  ];
}

/** The labelled buckets for a plot `width` CSS pixels wide. */
export function xTicks(days: readonly string[], bucket: Bucket, width: number, locale = userLocale()): XTicks {
  const n = days.length;
  if (n === 0) return { indices: [], labels: [] };
  const slot = width / n;
  const all = candidates(days, bucket, locale).filter((c) => c.indices.length > 0);
  const fits = (c: Candidate) => {
    const labels = c.indices.map((i) => c.label(days[i]!));
    const widest = Math.max(...labels.map(labelWidth));
    return c.indices.every((i, k) => k === 0 || (i - c.indices[k - 1]!) * slot >= widest);
  };
  const chosen = all.find(fits) ?? all[all.length - 1] ?? { indices: [0], label: (d: string) => formatDay(d, locale, "short") };
  return { indices: chosen.indices, labels: chosen.indices.map((i) => chosen.label(days[i]!)) };
}

/** Bars thinner than this many pixels cannot be told apart: a coarser grouping reads better. */
export const THINNEST_BAR_PX = 3;

/** The next coarser grouping when `n` buckets at `width` pixels would be too thin, else null. */
export function coarserBucket(bucket: Bucket, n: number, width: number): Bucket | null {
  if (n === 0 || (width / n) * 0.72 >= THINNEST_BAR_PX) return null;
  return bucket === "day" ? "week" : bucket === "week" ? "month" : null;
}

/** Money ticks as money in the creator's locale: whole amounts below 10,000 in full ("$1,250", or
 *  "$0.50" when the steps are cents), larger ones compact with the digits their steps need ("$12.5K",
 *  "$1.25M"). `values` are in major units. */
export function moneyTickLabels(values: readonly number[], currency: string, locale = userLocale()): string[] {
  const largest = Math.max(0, ...values.map(Math.abs));
  try {
    if (largest < 10_000) {
      const digits = [0, 1, 2, 3].find((d) => values.every((v) => Math.abs(Math.round(v * 10 ** d) - v * 10 ** d) < 1e-6)) ?? 2;
      const nf = new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: digits === 1 ? 2 : digits, maximumFractionDigits: digits === 1 ? 2 : digits });
      return values.map((v) => nf.format(v));
    }
    const nf = new Intl.NumberFormat(locale, { style: "currency", currency, notation: "compact", maximumSignificantDigits: 4 });
    return values.map((v) => nf.format(v));
  } catch {
    return values.map((v) => `${v} ${currency}`);
  }
}
