// A connection's recent runs as a row of small bars, oldest left: the height is how long the run took
// (against the slowest shown), the colour how it ended; a failed run is a full-height bar, so a streak
// of failures reads at a glance. The words are in the label and in the run history.
import type { RecentRun } from "../../bindings";
import { countOf } from "../../lib/plural";

const WIDTH = 3;
const GAP = 1;
const HEIGHT = 20;

const FILL: Record<string, string> = {
  succeeded: "fill-positive",
  failed: "fill-negative",
  running: "fill-accent",
  interrupted: "fill-warning",
};

export function RunSparkline({ runs }: { runs: RecentRun[] }) {
  if (runs.length === 0) return <span className="text-subtle">—</span>;
  const oldestFirst = [...runs].reverse();
  const slowest = Math.max(1, ...oldestFirst.map((r) => r.duration_ms ?? 0));
  const failed = runs.filter((r) => r.status === "failed").length;
  const label = `${countOf(runs.length, "recent run", "recent runs")}: ${runs.length - failed} without failure, ${failed} failed`;
  return (
    <svg
      role="img"
      aria-label={label}
      data-testid="run-sparkline"
      data-runs={runs.length}
      data-failed={failed}
      width={oldestFirst.length * (WIDTH + GAP) - GAP}
      height={HEIGHT}
      className="block"
    >
      <title>{label}</title>
      {oldestFirst.map((run, i) => {
        const share = run.status === "failed" ? 1 : Math.max(0.15, (run.duration_ms ?? 0) / slowest);
        const h = Math.round(share * HEIGHT);
        return <rect key={run.id} x={i * (WIDTH + GAP)} y={HEIGHT - h} width={WIDTH} height={h} rx={1} className={FILL[run.status] ?? "fill-subtle"} />;
      })}
    </svg>
  );
}
