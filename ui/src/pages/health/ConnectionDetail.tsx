// A Health row opened: the connection's figures (success over 24 hours and 7 days, p50 and p95 sync
// time, requests, retries and rows per run, how often it syncs), its actions, and the run history —
// each recent run's requests, retries, rows, duration and error.
import type { ConnectionHealth, RecentRun } from "../../bindings";
import { IconRefresh } from "../../components/icons";
import { Button, cx } from "../../components/ui";
import { formatCount, formatInstant, formatRelative } from "../../lib/format";
import { expiryWords, formatDuration, formatEvery, formatRate, runStatusWords, shownName } from "../../lib/healthWords";
import { useConnectionActions } from "./connectionActions";

const perRun = (n: number | null | undefined) => (n == null ? "—" : new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(n));

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-[11.5px] text-subtle">{label}</dt>
      <dd className="tabular text-[13px] font-medium text-fg">{value}</dd>
    </div>
  );
}

export function ConnectionDetail({ health }: { health: ConnectionHealth }) {
  const shown = shownName(health);
  const { sync, check, pause, busy } = useConnectionActions(health.connection, shown);
  const paused = health.state === "paused";
  return (
    <div className="flex flex-col gap-4 px-5 py-4" data-testid="health-detail" data-connection={health.connection}>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <dl className="grid flex-1 grid-cols-3 gap-x-6 gap-y-3 sm:grid-cols-4 xl:grid-cols-6">
          <Figure label="Success, 24 h" value={formatRate(health.success_rate_24h)} />
          <Figure label="Success, 7 d" value={formatRate(health.success_rate_7d)} />
          <Figure label="p50 duration" value={formatDuration(health.p50_duration_ms)} />
          <Figure label="p95 duration" value={formatDuration(health.p95_duration_ms)} />
          <Figure label="Requests per run" value={perRun(health.requests_per_run)} />
          <Figure label="Retries per run" value={perRun(health.retries_per_run)} />
          <Figure label="Rows per run" value={perRun(health.rows_per_run)} />
          <Figure label="Schedule" value={formatEvery(health.every_secs)} />
          <Figure label="Failures in a row" value={formatCount(health.consecutive_failures)} />
          <Figure label="Key or token expires" value={expiryWords(health.credential_expires_at)} />
        </dl>
        <div className="flex flex-wrap gap-2">
          <Button size="sm" onClick={() => check.mutate()} disabled={busy} data-testid="check-now">
            {check.isPending ? "Checking…" : "Check now"}
          </Button>
          <Button size="sm" onClick={() => pause.mutate(!paused)} disabled={busy} data-testid={paused ? "resume" : "pause"}>
            {paused ? "Resume" : "Pause"}
          </Button>
          <Button size="sm" variant="primary" onClick={() => sync.mutate()} disabled={busy || health.state === "needs_reconnect"} data-testid="detail-sync-now">
            <IconRefresh size={14} /> {sync.isPending ? "Syncing…" : "Sync now"}
          </Button>
        </div>
      </div>
      <RunHistory runs={health.recent_runs} />
    </div>
  );
}

const RUN_COLUMNS = ["Started", "Result", "Duration", "Requests", "Retries", "Rows", "What went wrong"];

function RunHistory({ runs }: { runs: RecentRun[] }) {
  if (runs.length === 0) return <p className="text-[12.5px] text-subtle">No runs yet: the first sync shows up here.</p>;
  return (
    <div className="overflow-x-auto rounded-lg border border-line">
      <table className="w-full text-[12.5px]" data-testid="run-history">
        <thead>
          <tr className="border-b border-line bg-surface-2/60 text-left text-[11.5px] text-subtle">
            {RUN_COLUMNS.map((c, i) => (
              <th key={c} scope="col" className={cx("px-3 py-1.5 font-medium whitespace-nowrap", i >= 2 && i <= 5 && "text-right")}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} className="border-b border-line last:border-0" data-testid="run-row" data-status={run.status}>
              <td className="px-3 py-1.5 whitespace-nowrap text-muted" title={formatInstant(run.started_at)}>
                {formatRelative(run.started_at)}
              </td>
              <td className={cx("px-3 py-1.5 whitespace-nowrap", run.status === "failed" ? "text-negative" : "text-fg")}>{runStatusWords(run)}</td>
              <td className="tabular px-3 py-1.5 text-right">{formatDuration(run.duration_ms)}</td>
              <td className="tabular px-3 py-1.5 text-right">{formatCount(run.requests)}</td>
              <td className="tabular px-3 py-1.5 text-right">{formatCount(run.retries)}</td>
              <td className="tabular px-3 py-1.5 text-right" title={`${formatCount(run.inserted)} new`}>
                {formatCount(run.rows)}
              </td>
              <td className="max-w-[28rem] px-3 py-1.5 text-muted">{run.error_message ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
