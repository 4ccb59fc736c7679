// The import history: every batch, newest first, with the period its rows cover and what it added to
// the figures, and undo — whose dialog says what money goes with the rows before anything is undone.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { BatchRecord, UndoReport } from "../bindings";
import * as ipc from "../ipc";
import { formatBytes, formatCount, formatDayRange, formatInstant, formatMoney, formatRelative } from "../lib/format";
import { shortTitle, useFormatTitle } from "../lib/formatTitles";
import { middleEllipsis } from "../lib/middleEllipsis";
import { countOf } from "../lib/plural";
import { invalidateLedger, type useBatches } from "../lib/queries";
import { FigureChanges } from "./FigureChanges";
import { IconImport, IconUndo } from "./icons";
import { toast } from "./toast";
import { Badge, Button, Card, CardHeader, cx, Dialog, EmptyState, ErrorState, Skeleton } from "./ui";

/** What an undo did, in one sentence: what went, what came back, what stayed because another source has it. */
function undoSummary(report: UndoReport): string {
  const parts = [`${countOf(report.removed, "event", "events", formatCount)} removed`];
  if (report.restored) parts.push(`${formatCount(report.restored)} restored`);
  if (report.kept) parts.push(`${formatCount(report.kept)} kept, since another import still has them`);
  const net = report.changed.map((f) => formatMoney(f.net_minor, f.currency, { signed: true })).join(", ");
  return `${parts.join(", ")}.${net ? ` Net ${net}.` : ""}`;
}

/** The days a batch's rows cover: "Mar 1 – 31, 2026", one day, or nothing known. */
function covered(b: BatchRecord): string | null {
  if (!b.first_event_at || !b.last_event_at) return null;
  return formatDayRange(b.first_event_at.slice(0, 10), b.last_event_at.slice(0, 10));
}

function UndoEffect({ id }: { id: number }) {
  const effect = useQuery({ queryKey: ["undo_preview", id], queryFn: () => ipc.undoPreview(id), staleTime: 0 });
  if (effect.isPending) return <Skeleton className="h-14 w-full" />;
  if (effect.isError) return <ErrorState compact error={effect.error} title="Could not work out what undoing takes out" />;
  if (effect.data.length === 0) return <p className="text-[13px] text-muted" data-testid="undo-effect-none">Undoing changes none of the figures: another import has all of its rows.</p>;
  return (
    <div>
      <p className="mb-1 text-[13px] font-medium text-fg">Undoing changes the figures by</p>
      <FigureChanges changes={effect.data} testId="undo-effect" />
    </div>
  );
}

/** Rows of the history shown at first: a year of daily imports would otherwise be one long table. */
const HISTORY_ROWS = 50;

export function BatchHistory({ batches }: { batches: ReturnType<typeof useBatches> }) {
  const [confirm, setConfirm] = useState<BatchRecord | null>(null);
  const [showAll, setShowAll] = useState(false);
  const title = useFormatTitle();
  const all = batches.data ?? [];
  const shown = showAll ? all : all.slice(0, HISTORY_ROWS);
  const table = useRef<HTMLTableSectionElement>(null);
  // "Show all" goes once pressed: the first row it brought takes the keyboard's place.
  const focusRow = useRef<number | null>(null);
  useEffect(() => {
    if (focusRow.current === null) return;
    table.current?.querySelectorAll<HTMLElement>('[data-testid="batch-row"]')[focusRow.current]?.focus();
    focusRow.current = null;
  }, [showAll]);
  // The batch just undone: its Undo button goes with the refetch, so the dialog hands focus to the row.
  const undone = useRef<number | null>(null);
  const rowOf = (id: number) => table.current?.querySelector<HTMLElement>(`[data-batch-id="${id}"]`) ?? null;
  const client = useQueryClient();
  const undo = useMutation({
    mutationFn: (id: number) => ipc.undoBatch(id),
    onSuccess: (report) => {
      undone.current = report.batch.id;
      setConfirm(null);
      toast({ tone: "success", title: `Undid ${report.batch.file_name}`, description: undoSummary(report) });
      void invalidateLedger(client);
    },
  });

  return (
    <Card className="mt-6">
      <CardHeader title="Import history" description="Newest first. Undoing a batch removes what it added, restores what it changed, and keeps what another import also has." />
      {batches.isPending ? (
        <div className="flex flex-col gap-2 px-5 pb-5" aria-busy="true">
          {[0, 1, 2].map((i) => <Skeleton key={i} className="h-9 w-full" />)}
        </div>
      ) : batches.isError ? (
        <div className="px-5 pb-5"><ErrorState error={batches.error} title="Could not list the imports" onRetry={() => void batches.refetch()} /></div>
      ) : all.length === 0 ? (
        <EmptyState icon={<IconImport size={18} />} title="No imports yet">Files you import show up here, and each one can be undone.</EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full table-fixed text-[13px]">
            <colgroup>
              <col />
              <col className="w-[128px]" />
              <col className="w-[112px]" />
              <col className="w-[84px]" />
              <col className="w-[96px]" />
              <col className="w-[88px]" />
            </colgroup>
            <thead>
              <tr className="border-y border-line bg-surface-2/60 text-left text-[12px] text-subtle">
                <th scope="col" className="py-2 pr-3 pl-5 font-medium">File</th>
                <th scope="col" className="px-3 py-2 font-medium">Covers</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Net added</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Events</th>
                <th scope="col" className="px-3 py-2 font-medium">Status</th>
                <th scope="col" className="py-2 pr-5 pl-3"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody ref={table}>
              {shown.map((b) => (
                <tr key={b.id} tabIndex={-1} data-testid="batch-row" data-batch-id={String(b.id)} data-status={b.status} className="border-b border-line align-top last:border-b-0 hover:bg-surface-2/50">
                  <td className="py-2 pr-3 pl-5">
                    <p className={cx("font-medium break-all", b.status === "undone" ? "text-subtle line-through" : "text-fg")} title={b.file_path ?? b.file_name} data-testid="batch-file">
                      {middleEllipsis(b.file_name, 56)}
                    </p>
                    <p className="truncate text-[12px] text-subtle" title={`${title(b.format)} · imported ${formatInstant(b.started_at)}`}>
                      <span data-testid="batch-format">{shortTitle(title(b.format))}</span>
                      {b.file_size != null ? ` · ${formatBytes(b.file_size)}` : ""} · {formatRelative(b.finished_at ?? b.started_at)}
                    </p>
                  </td>
                  <td className="px-3 py-2 text-[12.5px] text-muted" data-testid="batch-covers">{covered(b) ?? "—"}</td>
                  <td className="px-3 py-2 text-right" data-testid="batch-added">
                    {b.added.length === 0 ? <span className="text-subtle">—</span> : b.added.map((f) => (
                      <p key={f.currency} className="whitespace-nowrap tabular" data-currency={f.currency} data-minor={String(f.net_minor)}>{formatMoney(f.net_minor, f.currency, { signed: true })}</p>
                    ))}
                  </td>
                  <td className="px-3 py-2 text-right text-[12.5px] text-muted tabular" title={`${formatCount(b.inserted)} new, ${formatCount(b.updated)} updated, ${formatCount(b.duplicates)} already there, ${formatCount(b.rejected)} rejected`}>
                    <p className="text-fg">{formatCount(b.inserted)} new</p>
                    {b.updated ? <p>{formatCount(b.updated)} updated</p> : null}
                    {b.duplicates ? <p>{formatCount(b.duplicates)} dup.</p> : null}
                    {b.rejected ? <p className="text-negative">{formatCount(b.rejected)} rejected</p> : null}
                    {b.replaced_estimates ? <p className="text-warning" data-testid="batch-replaced">replaced {countOf(b.replaced_estimates, "estimate", "estimates", formatCount)}</p> : null}
                  </td>
                  <td className="px-3 py-2"><StatusBadge status={b.status} /></td>
                  <td className="py-2 pr-5 pl-3 text-right">
                    {b.status === "imported" ? (
                      <Button size="sm" variant="ghost" data-testid="batch-undo" onClick={() => { undo.reset(); setConfirm(b); }} aria-label={`Undo import of ${b.file_name}`}>
                        <IconUndo size={14} /> Undo
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {shown.length < all.length ? (
            <div className="border-t border-line px-5 py-3">
              <Button size="sm" variant="ghost" data-testid="history-show-all" onClick={() => {
                  focusRow.current = shown.length;
                  setShowAll(true);
                }}>
                Show all {formatCount(all.length)} imports ({formatCount(all.length - shown.length)} older)
              </Button>
            </div>
          ) : null}
        </div>
      )}
      <Dialog
        open={confirm !== null}
        onOpenChange={(o) => !o && !undo.isPending && setConfirm(null)}
        title="Undo this import?"
        testId="undo-dialog"
        wide
        returnFocus={() => {
          const id = undone.current;
          undone.current = null;
          return id === null ? null : rowOf(id);
        }}
        description={
          confirm ? (
            <>
              <span className="font-medium break-all text-fg">{confirm.file_name}</span> added {countOf(confirm.inserted, "event", "events", formatCount)} and
              updated {formatCount(confirm.updated)}. Undoing removes what only it added, restores what it changed, and keeps what another import also has.
              You can import the file again later.
            </>
          ) : null
        }
        footer={
          <>
            <Button onClick={() => setConfirm(null)} disabled={undo.isPending}>Keep it</Button>
            <Button variant="danger" data-testid="confirm-undo" onClick={() => confirm && undo.mutate(confirm.id)} disabled={undo.isPending}>
              {undo.isPending ? "Undoing…" : "Undo import"}
            </Button>
          </>
        }
      >
        {confirm ? <UndoEffect id={confirm.id} /> : null}
        {undo.isError ? <ErrorState compact error={undo.error} title="Could not undo" /> : null}
      </Dialog>
    </Card>
  );
}

function StatusBadge({ status }: { status: string }) {
  if (status === "imported") return <Badge tone="positive">Imported</Badge>;
  if (status === "undone") return <Badge>Undone</Badge>;
  if (status === "importing") return <Badge tone="accent">Importing</Badge>;
  return <Badge tone="warning">{status}</Badge>;
}
