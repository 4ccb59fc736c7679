import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import type { FileImport, ImportProgress } from "../bindings";
import { IconFile, IconImport, IconTable } from "../components/icons";
import { BatchHistory } from "../components/BatchHistory";
import { ImportAllCard } from "../components/ImportAllCard";
import { MappingEditor } from "../components/MappingEditor";
import { PreviewBody } from "../components/PreviewBody";
import { toast } from "../components/toast";
import { Badge, Button, Card, cx, ErrorState, PageHeader, Skeleton } from "../components/ui";
import * as ipc from "../ipc";
import { openImportDialog } from "../lib/actions";
import { formatBytes, formatCount } from "../lib/format";
import { importAll, useImportAll } from "../lib/importAll";
import { clearQueue, fileName, finish, isCsvLike, queueSnapshot, setCommitting, setCurrentFormat, useImportQueue, type QueuedFile } from "../lib/importQueue";
import { invalidateLedger, keys, useAppInfo, useBatches } from "../lib/queries";
import { useFocusIfLost } from "../lib/useFocusIfLost";

export function ImportsPage() {
  const queue = useImportQueue();
  const batches = useBatches();
  const current = queue[0];
  const run = useImportAll();
  const state = batches.isError ? "error" : batches.isPending ? "loading" : (batches.data?.length ?? 0) === 0 && !current ? "empty" : "data";

  return (
    <section data-testid="page-imports" data-state={state} aria-labelledby="imports-title">
      <PageHeader
        title="Imports"
        description="Reports from KDP, Stripe, Gumroad, Lemon Squeezy, Whatnot, Tributary's ledger CSV, or any CSV with a column mapping."
        actions={
          <Button variant="primary" onClick={() => void openImportDialog()} data-testid="import-files">
            <IconImport size={15} /> Import files…
          </Button>
        }
      />
      <h1 id="imports-title" className="sr-only">Imports</h1>
      {run ? <ImportAllCard run={run} /> : current ? <PreviewFlow key={current.id} file={current} waiting={queue.length - 1} /> : <DropZone />}
      <BatchHistory batches={batches} />
    </section>
  );
}

function DropZone() {
  const ref = useRef<HTMLButtonElement>(null);
  useFocusIfLost(ref);
  return (
    <button
      ref={ref}
      type="button"
      onClick={() => void openImportDialog()}
      data-testid="drop-zone"
      className="flex w-full flex-col items-center justify-center gap-2 rounded-xl border border-dashed border-line-strong bg-surface px-6 py-9 text-center transition-colors hover:border-accent hover:bg-accent-soft/30"
    >
      <span className="grid size-10 place-items-center rounded-full bg-surface-2 text-muted"><IconImport size={20} /></span>
      <span className="text-sm font-semibold text-fg">Drop report files anywhere on this window</span>
      <span className="text-[13px] text-subtle">or click to choose files. Each file is previewed first; nothing is written until you confirm.</span>
    </button>
  );
}

/** The preview of the first queued file, and the mapping editor when it needs one. */
function PreviewFlow({ file, waiting }: { file: QueuedFile; waiting: number }) {
  const [mapping, setMapping] = useState(false);
  if (mapping) {
    return (
      <MappingEditor
        path={file.path}
        onCancel={() => setMapping(false)}
        onSaved={(format) => {
          setMapping(false);
          setCurrentFormat(format);
        }}
      />
    );
  }
  return <Preview file={file} waiting={waiting} onCreateMapping={() => setMapping(true)} />;
}

function isUnknownFormat(error: ipc.IpcError | Error, path: string): boolean {
  const e = ipc.toCommandError(error);
  // The code is the bindings' ErrorCode union: no message matching.
  return e.code === "unknown_format" && isCsvLike(path);
}

function Preview({ file, waiting, onCreateMapping }: { file: QueuedFile; waiting: number; onCreateMapping: () => void }) {
  const client = useQueryClient();
  const preview = useQuery({
    queryKey: keys.preview(file.path, file.format, file.id),
    queryFn: () => ipc.previewImport(file.path, file.format),
    staleTime: Infinity,
    gcTime: 0,
  });
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const commit = useMutation({
    mutationFn: () => ipc.commitImport(file.path, preview.data?.format ?? file.format, (p) => setProgress(p)),
    onMutate: () => setCommitting(file.id, true),
    onSuccess: (result) => {
      toast({ tone: "success", title: `Imported ${fileName(result.path || file.path)}`, description: summary(result) });
      finish(file.id);
      void invalidateLedger(client);
    },
    onSettled: () => {
      setCommitting(file.id, false);
      setProgress(null);
    },
  });

  const startImportAll = async () => {
    const results = await importAll(queueSnapshot());
    const failed = results.filter((r) => r.error).length;
    toast({
      tone: failed ? "error" : "success",
      title: `Imported ${formatCount(results.length - failed)} of ${formatCount(results.length)} files`,
      description: failed ? `${formatCount(failed)} could not be imported; the summary says why.` : "Each is its own import in the history.",
    });
    void invalidateLedger(client);
  };

  // The next file's preview, after an import or a cancel, keeps the keyboard where the last one was.
  const card = useRef<HTMLDivElement>(null);
  useFocusIfLost(card);
  const inDemo = useAppInfo().data?.workspace === "demo";
  // Also true after leaving the page and coming back while the import still runs.
  const committing = commit.isPending || Boolean(file.committing);
  const state = preview.isError ? "error" : preview.isPending ? "loading" : "ready";
  const name = fileName(file.path);

  return (
    <Card ref={card} tabIndex={-1} role="region" data-testid="preview" data-state={state} className="overflow-hidden" aria-live="polite" aria-label={`Preview of ${name}`}>
      <div className="flex items-center gap-3 border-b border-line px-5 py-3.5">
        <span className="grid size-9 shrink-0 place-items-center rounded-lg bg-surface-2 text-muted"><IconFile size={18} /></span>
        <div className="min-w-0 flex-1">
          <p className="truncate text-[14px] font-semibold text-fg" title={file.path}>{name}</p>
          <p className="truncate text-[12px] text-subtle">{file.path}</p>
        </div>
        {waiting > 0 ? <Badge tone="accent">{waiting} more {waiting === 1 ? "file" : "files"} waiting</Badge> : null}
        <Badge>Preview · nothing written yet</Badge>
      </div>
      {inDemo ? (
        <p data-testid="preview-demo-note" className="border-b border-line bg-accent-soft px-5 py-2 text-[13px] text-fg">
          You are in the demo: this file would go into the demo data, which is removed when you leave the demo.
          Leave the demo first to import it into your own ledger.
        </p>
      ) : null}

      {preview.isPending ? (
        <div className="p-5" aria-busy="true">
          <p className="sr-only">Reading {name}…</p>
          <div className="grid grid-cols-5 gap-3">{[0, 1, 2, 3, 4].map((i) => <Skeleton key={i} className="h-16" />)}</div>
          <Skeleton className="mt-4 h-4 w-2/3" />
          <Skeleton className="mt-2 h-4 w-1/2" />
        </div>
      ) : preview.isError ? (
        <div className="p-5">
          <ErrorState error={preview.error} title={`Tributary could not read ${name}`} onRetry={() => void preview.refetch()} />
          {isUnknownFormat(preview.error, file.path) ? (
            <div className="mt-4 flex items-center gap-4 rounded-xl border border-line bg-surface-2 p-4">
              <IconTable size={20} className="shrink-0 text-muted" />
              <div className="flex-1 text-[13px]">
                <p className="font-medium text-fg">Is this a CSV from somewhere else?</p>
                <p className="text-muted">Tell Tributary which columns hold the date, the amount and the rest. The mapping is saved, so the next file like it imports directly.</p>
              </div>
              <Button variant="primary" onClick={onCreateMapping} data-testid="create-mapping">Create a column mapping</Button>
            </div>
          ) : null}
          <div className="mt-4 flex justify-end gap-2">
            <Button data-testid="preview-cancel" onClick={() => finish(file.id)}>{waiting > 0 ? "Skip this file" : "Close"}</Button>
          </div>
        </div>
      ) : (
        <PreviewBody data={preview.data} />
      )}

      {preview.data ? (
        <div className="flex flex-wrap items-center justify-end gap-3 border-t border-line bg-surface-2/60 px-5 py-3">
          {committing ? <ProgressBar progress={progress} /> : null}
          {commit.isError ? (
            <div className="mr-auto min-w-0 flex-1"><ErrorState compact error={commit.error} title="The import failed; nothing was written" /></div>
          ) : null}
          {waiting > 0 ? (
            <>
              <Button variant="ghost" onClick={clearQueue} disabled={committing}>Cancel all</Button>
              <Button data-testid="import-all-start" onClick={() => void startImportAll()} disabled={committing}
                title="Each file is imported as its own batch, without a preview each; one summary at the end">
                Import all {formatCount(waiting + 1)} files
              </Button>
            </>
          ) : null}
          <Button data-testid="preview-cancel" onClick={() => finish(file.id)} disabled={committing}>Cancel</Button>
          <Button
            variant="primary"
            data-testid="preview-import"
            onClick={() => commit.mutate()}
            disabled={committing || nothingToImport(preview.data)}
          >
            {committing ? "Importing…" : "Import"}
          </Button>
        </div>
      ) : null}
    </Card>
  );
}

function nothingToImport(d: FileImport): boolean {
  return d.inserted + d.updated === 0;
}

function summary(r: FileImport): string {
  const parts = [`${formatCount(r.inserted)} new`];
  if (r.updated) parts.push(`${formatCount(r.updated)} updated`);
  if (r.duplicates) parts.push(`${formatCount(r.duplicates)} already there`);
  if (r.rejected) parts.push(`${formatCount(r.rejected)} rejected`);
  const replaced = (r.replaces ?? []).reduce((n, p) => n + p.events, 0);
  if (replaced) parts.push(`replaced ${formatCount(replaced)} estimates`);
  return parts.join(" · ");
}

function ProgressBar({ progress }: { progress: ImportProgress | null }) {
  const total = progress?.total_bytes ?? 0;
  const pct = total > 0 ? Math.min(100, Math.round(((progress?.bytes_read ?? 0) / total) * 100)) : null;
  return (
    <div className="mr-auto flex min-w-[240px] flex-1 items-center gap-3" data-testid="import-progress">
      <div
        role="progressbar"
        aria-label="Import progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
        className="h-1.5 flex-1 overflow-hidden rounded-full bg-surface-3"
      >
        <div className={cx("h-full rounded-full bg-accent transition-[width]", pct === null && "w-1/3 animate-pulse")} style={pct === null ? undefined : { width: `${pct}%` }} />
      </div>
      <span className="shrink-0 text-[12px] text-muted tabular" title={progress?.waiting_for}>
        {progress?.waiting_for
          ? "Waiting for another import to finish…"
          : progress
            ? `${formatCount(progress.rows)} rows · ${formatBytes(progress.bytes_read)} of ${formatBytes(progress.total_bytes)}`
            : "Starting…"}
      </span>
    </div>
  );
}

