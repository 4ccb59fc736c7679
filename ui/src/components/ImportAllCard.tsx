// "Import all" while it runs (which file of how many) and its one summary at the end: each file, what it
// added or why it failed, and what it replaced.
import type { ImportAllState } from "../lib/importAll";
import { dismissImportAll } from "../lib/importAll";
import { formatCount } from "../lib/format";
import { fileName } from "../lib/importQueue";
import { middleEllipsis } from "../lib/middleEllipsis";
import { countOf } from "../lib/plural";
import { Badge, Button, Card, CardHeader } from "./ui";

export function ImportAllCard({ run }: { run: ImportAllState }) {
  const done = run.results.length;
  const failed = run.results.filter((r) => r.error).length;
  const running = run.current !== null;
  return (
    <Card data-testid="import-all" data-state={running ? "running" : "done"} className="overflow-hidden" aria-live="polite">
      <CardHeader
        title={running ? `Importing ${formatCount(done + 1)} of ${formatCount(run.total)}` : `Imported ${formatCount(done - failed)} of ${formatCount(run.total)} files`}
        description={running ? fileName(run.current ?? "") : failed ? `${countOf(failed, "file", "files", formatCount)} could not be imported; the others are in the ledger, each as its own import.` : "Each file is its own import: any of them can be undone below."}
      />
      {running ? (
        <div className="px-5 pb-4">
          <div role="progressbar" aria-label="Files imported" aria-valuemin={0} aria-valuemax={run.total} aria-valuenow={done} className="h-1.5 overflow-hidden rounded-full bg-surface-3">
            <div className="h-full rounded-full bg-accent transition-[width]" style={{ width: `${(done / Math.max(1, run.total)) * 100}%` }} />
          </div>
        </div>
      ) : null}
      {done > 0 ? (
        <div className="max-h-[300px] overflow-auto border-t border-line">
          <table className="w-full text-[13px]" data-testid="import-all-summary">
            <tbody>
              {run.results.map((r) => (
                <tr key={r.path} className="border-b border-line align-top last:border-b-0" data-testid="import-all-row" data-ok={r.error ? "false" : "true"}>
                  <td className="py-2 pr-3 pl-5 font-medium break-all text-fg" title={r.path}>{middleEllipsis(fileName(r.path), 56)}</td>
                  <td className="px-3 py-2 text-muted">
                    {r.error ? (
                      <span className="text-negative">{r.error.message}</span>
                    ) : r.result ? (
                      <>
                        {formatCount(r.result.inserted)} new{r.result.updated ? `, ${formatCount(r.result.updated)} updated` : ""}
                        {r.result.replaces.length ? `, replaced ${formatCount(r.result.replaces.reduce((n, p) => n + p.events, 0))} estimates` : ""}
                      </>
                    ) : null}
                  </td>
                  <td className="py-2 pr-5 pl-3 text-right">
                    {r.error ? <Badge tone="negative">Failed</Badge> : <Badge tone="positive">Imported</Badge>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {running ? null : (
        <div className="flex justify-end border-t border-line bg-surface-2/60 px-5 py-3">
          <Button data-testid="import-all-close" onClick={dismissImportAll}>Close</Button>
        </div>
      )}
    </Card>
  );
}
