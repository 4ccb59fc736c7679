// Net revenue over time, stacked by platform, drawn with uPlot on a canvas. Hover shows the bucket's
// figures per platform in a tooltip updated straight in the DOM (no React render per mouse move).
import { useEffect, useMemo, useRef } from "react";
import uPlot from "uplot";
import type { Bucket } from "../bindings";
import { formatDay, formatMoney, formatMonth, fractionDigits } from "../lib/format";
import { platformColorVar, platformName } from "../lib/platforms";
import type { ChartColumns } from "../lib/series";
import { useResolvedTheme } from "../lib/useResolvedTheme";

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
}

function withAlpha(hex: string, alpha: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m || !m[1]) return hex;
  const n = parseInt(m[1], 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

export function bucketLabel(day: string, bucket: Bucket): string {
  if (bucket === "month") return formatMonth(day.slice(0, 7));
  if (bucket === "week") return `Week of ${formatDay(day)}`;
  return formatDay(day);
}

export interface RevenueChartProps {
  columns: ChartColumns;
  hidden: ReadonlySet<string>;
  currency: string;
  bucket: Bucket;
  height?: number;
}

export function RevenueChart({ columns, hidden, currency, bucket, height = 260 }: RevenueChartProps) {
  const wrap = useRef<HTMLDivElement>(null);
  const tip = useRef<HTMLDivElement>(null);
  const theme = useResolvedTheme();

  const visible = useMemo(() => columns.platforms.map((p, i) => ({ p, i })).filter(({ p }) => !hidden.has(p)), [columns, hidden]);

  useEffect(() => {
    const el = wrap.current;
    if (!el || columns.xs.length === 0) return;
    const scale = 10 ** fractionDigits(currency);

    // Stack: cumulative sums in major units, bottom platform first.
    const raw = visible.map(({ i }) => columns.values[i] ?? []);
    const acc = new Array<number>(columns.xs.length).fill(0);
    const stacked = raw.map((col) => col.map((v, k) => (acc[k] = (acc[k] ?? 0) + v / scale)));
    const data: uPlot.AlignedData = [columns.xs, ...stacked];
    const bands: uPlot.Band[] = stacked.slice(1).map((_, k) => ({ series: [k + 2, k + 1] as [number, number] }));

    const bars = bucket !== "day" || columns.xs.length <= 45;
    const paths = bars ? uPlot.paths.bars!({ size: [0.72, 48], gap: 1 }) : uPlot.paths.linear!();
    const axisColor = cssVar("--chart-axis");
    const grid = cssVar("--chart-grid");
    const font = `11px ${getComputedStyle(document.body).fontFamily}`;
    const spanDays = (columns.xs[columns.xs.length - 1]! - columns.xs[0]!) / 86400;

    const series: uPlot.Series[] = [
      {},
      ...visible.map(({ p }) => {
        const color = cssVar(platformColorVar(p));
        return {
          label: platformName(p),
          stroke: bars ? withAlpha(color, 0) : color,
          width: bars ? 0 : 1.25,
          fill: withAlpha(color, bars ? 0.9 : 0.78),
          paths,
          points: { show: false },
        } satisfies uPlot.Series;
      }),
    ];

    const opts: uPlot.Options = {
      // Buckets are UTC days: ticks at UTC midnights, or east of UTC every label reads a day early.
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
      width: el.clientWidth || 600,
      height,
      legend: { show: false },
      padding: [8, 8, 0, 0],
      cursor: {
        points: { show: false },
        y: false,
        drag: { x: false, y: false },
      },
      scales: {
        x: { time: true, ...(bars ? { range: (_u, min, max) => [min - 43200 * (bucket === "month" ? 28 : bucket === "week" ? 7 : 1), max + 43200 * (bucket === "month" ? 28 : bucket === "week" ? 7 : 1)] as uPlot.Range.MinMax } : {}) },
        y: { range: (_u, min, max) => [Math.min(0, min), max <= 0 ? 1 : max * 1.08] },
      },
      bands,
      series,
      axes: [
        {
          stroke: axisColor,
          font,
          grid: { show: false },
          ticks: { show: true, stroke: grid, size: 4 },
          space: 70,
          values: (_u, splits) =>
            splits.map((s) => {
              const d = new Date(s * 1000).toISOString().slice(0, 10);
              if (bucket === "month" || spanDays > 400) return formatMonth(d.slice(0, 7), undefined, true);
              return formatDay(d, undefined, "short");
            }),
        },
        {
          stroke: axisColor,
          font,
          size: 64,
          gap: 6,
          grid: { stroke: grid, width: 1 },
          ticks: { show: false },
          values: (_u, splits) => splits.map((s) => formatMoney(Math.round(s * scale), currency, { compact: true })),
        },
      ],
      hooks: {
        setCursor: [
          (u) => {
            const t = tip.current;
            if (!t) return;
            const idx = u.cursor.idx;
            const left = u.cursor.left ?? -1;
            if (idx == null || left < 0) {
              t.hidden = true;
              return;
            }
            const day = columns.days[idx] ?? "";
            t.replaceChildren();
            const head = document.createElement("div");
            head.className = "mb-1.5 flex items-center gap-2 text-[12px] font-semibold text-fg";
            head.textContent = bucketLabel(day, bucket);
            if (columns.estimated[idx]) {
              const b = document.createElement("span");
              b.className = "rounded-full bg-warning-soft px-1.5 text-[10.5px] font-medium text-warning";
              b.textContent = "estimated";
              head.appendChild(b);
            }
            t.appendChild(head);
            let total = 0;
            for (let k = visible.length - 1; k >= 0; k--) {
              const v = visible[k]!;
              const val = columns.values[v.i]?.[idx] ?? 0;
              total += val;
              const row = document.createElement("div");
              row.className = "flex items-center gap-2 text-[12px] leading-5";
              const dot = document.createElement("span");
              dot.className = "size-2 rounded-sm";
              dot.style.background = cssVar(platformColorVar(v.p));
              const name = document.createElement("span");
              name.className = "flex-1 text-muted";
              name.textContent = platformName(v.p);
              const amount = document.createElement("span");
              amount.className = "tabular text-fg";
              amount.textContent = formatMoney(val, currency);
              row.append(dot, name, amount);
              t.appendChild(row);
            }
            const sum = document.createElement("div");
            sum.className = "mt-1 flex justify-between gap-4 border-t border-line pt-1 text-[12px] font-semibold";
            const l = document.createElement("span");
            l.textContent = "Total";
            const r = document.createElement("span");
            r.className = "tabular";
            r.textContent = formatMoney(total, currency);
            sum.append(l, r);
            t.appendChild(sum);
            t.hidden = false;
            const plotLeft = u.over.offsetLeft;
            const w = t.offsetWidth;
            const x = plotLeft + left + 14 + w > el.clientWidth ? plotLeft + left - w - 14 : plotLeft + left + 14;
            t.style.transform = `translate(${Math.max(0, x)}px, 8px)`;
          },
        ],
      },
    };

    const chart = new uPlot(opts, data, el);
    const ro = new ResizeObserver(() => {
      const w = el.clientWidth;
      if (w > 0 && w !== chart.width) chart.setSize({ width: w, height });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.destroy();
    };
  }, [columns, visible, currency, bucket, height, theme]);

  return (
    <div className="relative">
      <div ref={wrap} className="revenue-chart w-full" style={{ minHeight: height }} />
      <div
        ref={tip}
        hidden
        className="chart-tooltip min-w-[180px] rounded-lg border border-line bg-surface px-3 py-2 shadow-pop"
      />
    </div>
  );
}
