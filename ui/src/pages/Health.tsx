// Health: whether every connection is syncing, and what to do when one is not. A notice while syncing
// is paused as a whole (with Resume syncing), a banner when anything needs the person (with the fix as
// a button), then a row per connection: its status light and words,
// last success, success rate over 7 days, p95 sync time, next run, credential expiry and a sparkline
// of its recent runs; opening a row shows its figures, actions and run history.
import { Fragment, useState } from "react";
import type { ConnectionHealth, HealthSummary } from "../bindings";
import { IconAlert, IconChevronRight, IconInfo, IconPulse } from "../components/icons";
import { Button, Card, cx, ErrorState, PageHeader, Skeleton } from "../components/ui";
import { formatInstant, formatRelative } from "../lib/format";
import { expiryWords, formatDuration, formatRate, nextRunWords, shownName, stateLook } from "../lib/healthWords";
import { useHealth } from "../lib/queries";
import { navigate } from "../lib/router";
import { ConnectionDetail } from "./health/ConnectionDetail";
import { FixButton } from "./health/FixButton";
import { RunSparkline } from "./health/RunSparkline";
import { useResumeSyncing } from "./health/resumeSyncing";

// The narrow window (under 1,280 px) leaves out the 7-day success rate (the sparkline shows it), p95
// duration and token expiry: all three are in a row's detail.
const COLUMNS: { label: string; wide?: boolean }[] = [
  { label: "Connection" },
  { label: "Status" },
  { label: "Last success" },
  { label: "Success rate 7 d", wide: true },
  { label: "p95 duration", wide: true },
  { label: "Next run" },
  { label: "Token expiry", wide: true },
  { label: "Recent runs" },
];
const WIDE = "hidden xl:table-cell";

export function HealthPage() {
  const health = useHealth();
  const live = (health.data?.connections ?? []).filter((h) => h.state !== "disconnected");
  const state = health.isPending ? "loading" : health.isError ? "error" : live.length === 0 ? "empty" : "data";
  return (
    <section data-testid="page-health" data-state={state} aria-labelledby="health-title">
      <PageHeader title="Health" description="Whether every connection is syncing, and what to do when one is not." />
      <h1 id="health-title" className="sr-only">Health</h1>
      {health.isError ? (
        <ErrorState error={health.error} onRetry={() => void health.refetch()} title="Could not read the connections' health" />
      ) : (
        <>
          {health.data?.syncing_paused && live.length > 0 ? <PausedNotice /> : null}
          {health.data?.summary ? <Banner summary={health.data.summary} connections={live} /> : null}
          <Card className="overflow-hidden">
            <div className="overflow-x-auto">
              <table className="w-full text-[13px]" data-testid="health-table">
                <thead>
                  <tr className="border-b border-line bg-surface-2/60 text-left text-[12px] text-subtle">
                    {COLUMNS.map((c) => (
                      <th key={c.label} scope="col" className={cx("px-3 py-2.5 font-medium whitespace-nowrap first:pl-5 last:pr-5", c.wide && WIDE)}>
                        {c.label}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {health.isPending ? <LoadingRows /> : live.length === 0 ? <EmptyRow /> : live.map((h) => <HealthRow key={h.connection} health={h} allPaused={health.data?.syncing_paused ?? false} />)}
                </tbody>
              </table>
            </div>
          </Card>
        </>
      )}
    </section>
  );
}

/** Every scheduled sync waits: say so where the figures would otherwise look current, with the way out. */
function PausedNotice() {
  const resume = useResumeSyncing();
  return (
    <div role="status" data-testid="health-paused" className="mb-4 flex flex-wrap items-center justify-between gap-3 rounded-xl border border-line bg-surface-2/60 p-4">
      <div className="flex min-w-0 flex-1 items-start gap-2">
        <IconInfo size={16} className="mt-0.5 shrink-0 text-muted" />
        <div className="min-w-0">
          <p className="font-semibold text-fg">Syncing is paused</p>
          <p className="text-[13px] text-muted">No connection syncs on its schedule until you resume (Pause syncing in the tray does the same). Sync now on a connection still syncs it.</p>
        </div>
      </div>
      <Button size="sm" variant="primary" onClick={() => resume.mutate()} disabled={resume.isPending} data-testid="resume-syncing">
        Resume syncing
      </Button>
    </div>
  );
}

/** "X needs reconnecting: Lemon Squeezy refused …" under the line "X needs reconnecting" → "Lemon Squeezy refused …". */
function afterLine(sentence: string, line: string): string {
  if (!sentence.startsWith(`${line}: `)) return sentence;
  const rest = sentence.slice(line.length + 2);
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

/** What needs the person, with the fix for each connection in trouble. */
function Banner({ summary, connections }: { summary: HealthSummary; connections: ConnectionHealth[] }) {
  if (summary.level === "normal") return null;
  const troubled = connections.filter((h) => h.fix && h.sentence && (h.state !== "paused" || h.paused_by === "tributary"));
  const tone = summary.level === "error" ? "border-negative/30 bg-negative-soft" : "border-warning/30 bg-warning-soft";
  return (
    <div role="status" data-testid="health-banner" data-level={summary.level} className={cx("mb-4 flex flex-col gap-2 rounded-xl border p-4", tone)}>
      <p className="flex items-center gap-2 font-semibold text-fg">
        <IconAlert size={16} className={summary.level === "error" ? "text-negative" : "text-warning"} />
        <span data-testid="health-banner-line">{summary.line}</span>
      </p>
      {troubled.map((h) => (
        <div key={h.connection} className="flex flex-wrap items-center justify-between gap-2 pl-6">
          {/* The engine's sentences start with the connection's name; with one in trouble the line above already says what. */}
          <p className="min-w-0 flex-1 text-[13px] text-muted">{troubled.length === 1 ? afterLine(h.sentence ?? "", summary.line) : h.sentence}</p>
          <FixButton health={h} withName={troubled.length > 1} />
        </div>
      ))}
    </div>
  );
}

function HealthRow({ health, allPaused }: { health: ConnectionHealth; allPaused: boolean }) {
  const [open, setOpen] = useState(false);
  const look = stateLook(health);
  const detailId = `health-detail-${health.connection}`;
  return (
    <Fragment>
      <tr className={cx("border-b border-line align-middle", open && "bg-surface-2/40")} data-testid="health-row" data-connection={health.connection} data-state={health.state}>
        <td className="py-2.5 pr-3 pl-3">
          <button
            type="button"
            aria-expanded={open}
            aria-controls={detailId}
            onClick={() => setOpen(!open)}
            className="flex items-center gap-1.5 rounded-md px-1 py-0.5 text-left font-medium text-fg hover:bg-surface-2"
            data-testid="health-expand"
          >
            <IconChevronRight size={14} className={cx("shrink-0 text-subtle transition-transform", open && "rotate-90")} />
            <span className="whitespace-nowrap">{shownName(health)}</span>
          </button>
        </td>
        <td className="px-3 py-2.5">
          <span className={cx("flex items-center gap-1.5 whitespace-nowrap", look.text)} data-testid="health-state" title={health.sentence ?? undefined}>
            <span aria-hidden="true" className={cx("size-2 shrink-0 rounded-full", look.dot)} />
            {look.label}
          </span>
          {health.warning && health.state !== "paused" ? (
            <span className="block pl-3.5 text-[11.5px] whitespace-nowrap text-warning" data-testid="health-warning">
              {health.consecutive_failures} failures in a row
            </span>
          ) : null}
        </td>
        <td className="px-3 py-2.5 whitespace-nowrap text-muted" title={health.last_success_at ? formatInstant(health.last_success_at) : undefined}>
          {health.last_success_at ? formatRelative(health.last_success_at) : "Never"}
        </td>
        <td className={cx("tabular px-3 py-2.5 text-right whitespace-nowrap", WIDE)}>{formatRate(health.success_rate_7d)}</td>
        <td className={cx("tabular px-3 py-2.5 text-right whitespace-nowrap", WIDE)}>{formatDuration(health.p95_duration_ms)}</td>
        <td className="px-3 py-2.5 whitespace-nowrap text-muted">{nextRunWords(health, undefined, allPaused)}</td>
        <td className={cx("px-3 py-2.5 whitespace-nowrap text-muted", WIDE)} title={health.credential_expires_at ? formatInstant(health.credential_expires_at) : "The platform gives no expiry"}>
          {expiryWords(health.credential_expires_at)}
        </td>
        <td className="py-2.5 pr-5 pl-3">
          <RunSparkline runs={health.recent_runs} />
        </td>
      </tr>
      {open ? (
        <tr id={detailId} className="border-b border-line bg-surface-2/40">
          <td colSpan={COLUMNS.length}>
            {health.sentence ? (
              <div className="flex flex-wrap items-center justify-between gap-2 px-5 pt-4">
                <p className="text-[13px] text-fg" data-testid="health-sentence">{health.sentence}</p>
                <FixButton health={health} />
              </div>
            ) : null}
            <ConnectionDetail health={health} />
          </td>
        </tr>
      ) : null}
    </Fragment>
  );
}

function LoadingRows() {
  return (
    <>
      {[0, 1].map((i) => (
        <tr key={i} className="border-b border-line">
          <td colSpan={COLUMNS.length} className="px-5 py-3">
            <Skeleton className="h-4 w-full" />
          </td>
        </tr>
      ))}
    </>
  );
}

function EmptyRow() {
  return (
    <tr>
      <td colSpan={COLUMNS.length}>
        <div className="flex flex-col items-center px-6 py-14 text-center" data-testid="health-empty">
          <span className="mb-3 grid size-10 place-items-center rounded-full bg-surface-2 text-muted">
            <IconPulse size={18} />
          </span>
          <p className="text-sm font-semibold text-fg">No connections yet — nothing to check</p>
          <p className="mt-1 max-w-md text-[13px] text-subtle">
            When you connect a platform, its sync status, success rate and timing show up here, with what to do when something needs you.
          </p>
          <button type="button" onClick={() => navigate("integrations")} className="mt-3 text-[13px] font-medium text-accent-text underline-offset-4 hover:underline">
            Go to Integrations →
          </button>
        </div>
      </td>
    </tr>
  );
}
