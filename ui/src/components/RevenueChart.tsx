// Net over time, stacked by platform, drawn with uPlot on a canvas: one slot per bucket on the x axis
// (lib/axis.ts picks which get a label), money ticks as money. Hover shows the bucket's net per
// platform and how its figures add up (Sales − Refunds − Fees = Net) in a tooltip updated straight in
// the DOM (no React render per mouse move).
import { useEffect, useMemo, useRef } from "react";
import uPlot from "uplot";
import type { Bucket } from "../bindings";
import { moneyTickLabels, xTicks } from "../lib/axis";
import { addMoney, figuresShown, NO_MONEY, shownAmount } from "../lib/figures";
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

    const n = columns.xs.length;
    const bars = bucket !== "day" || n <= 45;
    const paths = bars ? uPlot.paths.bars!({ size: [0.72, 48], gap: 1 }) : uPlot.paths.linear!();
    const axisColor = cssVar("--chart-axis");
    const grid = cssVar("--chart-grid");
    const font = `11px ${getComputedStyle(document.body).fontFamily}`;
    // The labelled buckets for the plot's width, worked out once per width.
    let ticksFor = -1;
    let ticks = xTicks(columns.days, bucket, 0);
    const ticksAt = (u: uPlot) => {
      const w = u.bbox.width / uPlot.pxRatio;
      if (w !== ticksFor) {
        ticksFor = w;
        ticks = xTicks(columns.days, bucket, w);
      }
      return ticks;
    };

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
      width: el.clientWidth || 600,
      height,
      legend: { show: false },
      // Room on the right for the last bucket's label, centred under its bar.
      padding: [8, 28, 0, 0],
      cursor: {
        points: { show: false },
        y: false,
        drag: { x: false, y: false },
      },
      scales: {
        // One slot per bucket, whatever its length: a month's bar sits over its own label.
        x: { time: false, range: (): uPlot.Range.MinMax => (bars ? [-0.5, n - 0.5] : [0, Math.max(1, n - 1)]) },
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
          splits: (u) => ticksAt(u).indices,
          values: (u, splits) => {
            const t = ticksAt(u);
            // What the canvas says, for tests and anyone reading the page's markup.
            el.dataset.xLabels = t.labels.join("|");
            el.dataset.buckets = String(n);
            return splits.map((i) => t.labels[t.indices.indexOf(i)] ?? "");
          },
        },
        {
          stroke: axisColor,
          font,
          size: 64,
          gap: 6,
          grid: { stroke: grid, width: 1 },
          ticks: { show: false },
          values: (_u, splits) => moneyTickLabels(splits, currency),
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
            let money = NO_MONEY;
            for (let k = visible.length - 1; k >= 0; k--) {
              const v = visible[k]!;
              const val = columns.values[v.i]?.[idx] ?? 0;
              money = addMoney(money, columns.money[v.i]?.[idx] ?? NO_MONEY);
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
            // How the bucket's net comes about, named and signed as the cards name them.
            const figures = figuresShown([money]);
            figures.forEach((f, k) => {
              const line = document.createElement("div");
              const last = k === figures.length - 1;
              line.className = last
                ? "mt-0.5 flex justify-between gap-4 border-t border-line pt-1 text-[12px] font-semibold"
                : `flex justify-between gap-4 text-[12px] leading-5 text-muted${k === 0 ? " mt-1 border-t border-line pt-1" : ""}`;
              line.dataset.figure = f.key;
              const l = document.createElement("span");
              l.textContent = f.label;
              const r = document.createElement("span");
              r.className = "tabular";
              r.textContent = formatMoney(shownAmount(money, f), currency);
              line.append(l, r);
              t.appendChild(line);
            });
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
      <div ref={wrap} className="revenue-chart w-full" data-testid="chart-canvas" style={{ minHeight: height }} />
      <div
        ref={tip}
        hidden
        className="chart-tooltip min-w-[180px] rounded-lg border border-line bg-surface px-3 py-2 shadow-pop"
      />
    </div>
  );
}
