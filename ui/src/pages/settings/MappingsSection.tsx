// Settings › Column mappings: the mappings saved for CSVs Tributary has no format for, to show by
// another title or to forget, and the files in the mappings folder that are not usable mappings, with
// why. Imports made with a mapping stay when it is forgotten.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { FormatInfo } from "../../bindings";
import { toast } from "../../components/toast";
import { Button, Card, Dialog, ErrorState, inputClass, Skeleton } from "../../components/ui";
import * as ipc from "../../ipc";
import { keys } from "../../lib/queries";

export function MappingsSection() {
  const client = useQueryClient();
  const list = useQuery({ queryKey: keys.mappings, queryFn: ipc.listMappings });
  const [renaming, setRenaming] = useState<{ name: string; title: string } | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const refresh = () => {
    void client.invalidateQueries({ queryKey: keys.mappings });
    void client.invalidateQueries({ queryKey: keys.formats });
  };
  const rename = useMutation({
    mutationFn: (r: { name: string; title: string }) => ipc.retitleMapping(r.name, r.title),
    onSuccess: (info: FormatInfo) => {
      setRenaming(null);
      toast({ tone: "success", title: `Mapping shown as “${info.title || info.name}”` });
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (name: string) => ipc.removeMapping(name),
    onSuccess: (_: unknown, name: string) => {
      setRemoving(null);
      toast({ tone: "success", title: `Mapping ${name} forgotten`, description: "Imports made with it stay in the ledger." });
      refresh();
    },
  });

  return (
    <section>
      <h2 className="mb-2 text-[12px] font-semibold tracking-wide text-subtle uppercase">Column mappings</h2>
      <Card data-testid="settings-mappings" data-state={list.isError ? "error" : list.isPending ? "loading" : "data"}>
        {list.isPending ? (
          <div className="p-5"><Skeleton className="h-8 w-full" /></div>
        ) : list.isError ? (
          <div className="p-5"><ErrorState error={list.error} title="Could not list the mappings" onRetry={() => void list.refetch()} /></div>
        ) : list.data.mappings.length === 0 && list.data.broken.length === 0 ? (
          <p className="px-5 py-4 text-[13px] text-subtle">No saved mappings. When you import a CSV Tributary does not know, the column mapping you make for it is kept here.</p>
        ) : (
          <ul className="divide-y divide-line">
            {list.data.mappings.map((m) => (
              <li key={m.name} className="flex flex-wrap items-center gap-3 px-5 py-3" data-testid="mapping-row" data-name={m.name}>
                <div className="min-w-0 flex-1">
                  {renaming?.name === m.name ? (
                    <form className="flex items-center gap-2" onSubmit={(e) => { e.preventDefault(); rename.mutate(renaming); }}>
                      <label htmlFor={`title-${m.name}`} className="sr-only">Title of {m.name}</label>
                      <input id={`title-${m.name}`} autoFocus className={inputClass} value={renaming.title} data-testid="mapping-title-input"
                        onChange={(e) => setRenaming({ name: m.name, title: e.target.value })} />
                      <Button size="sm" variant="primary" type="submit" data-testid="mapping-title-save" disabled={rename.isPending}>Save</Button>
                      <Button size="sm" onClick={() => setRenaming(null)}>Cancel</Button>
                    </form>
                  ) : (
                    <>
                      <p className="truncate text-[13.5px] font-medium text-fg" data-testid="mapping-title">{m.title || m.name}</p>
                      <p className="truncate text-[12px] text-subtle">{m.name} · platform {m.platform ?? "—"}</p>
                    </>
                  )}
                  {rename.isError && renaming?.name === m.name ? <ErrorState compact error={rename.error} title="Could not rename it" /> : null}
                </div>
                {renaming?.name === m.name ? null : (
                  <div className="flex gap-2">
                    <Button size="sm" data-testid="mapping-rename" onClick={() => { rename.reset(); setRenaming({ name: m.name, title: m.title }); }}>Rename</Button>
                    <Button size="sm" variant="ghost" data-testid="mapping-remove" onClick={() => { remove.reset(); setRemoving(m.name); }}>Delete</Button>
                  </div>
                )}
              </li>
            ))}
            {list.data.broken.map((b) => (
              <li key={b.path} className="flex flex-wrap items-center gap-3 px-5 py-3" data-testid="mapping-broken">
                <div className="min-w-0 flex-1">
                  <p className="truncate text-[13.5px] font-medium text-fg">{b.name}</p>
                  <p className="text-[12px] text-negative">Not used: {b.reason}</p>
                </div>
                <Button size="sm" variant="ghost" onClick={() => { remove.reset(); setRemoving(b.name); }}>Delete</Button>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Dialog
        open={removing !== null}
        onOpenChange={(o) => !o && !remove.isPending && setRemoving(null)}
        title="Forget this mapping?"
        testId="mapping-remove-dialog"
        description={<>Files like it will need a mapping again. Imports made with <span className="font-medium text-fg">{removing}</span> stay in the ledger.</>}
        footer={
          <>
            <Button onClick={() => setRemoving(null)} disabled={remove.isPending}>Keep it</Button>
            <Button variant="danger" data-testid="mapping-remove-confirm" onClick={() => removing && remove.mutate(removing)} disabled={remove.isPending}>Forget it</Button>
          </>
        }
      >
        {remove.isError ? <ErrorState compact error={remove.error} title="Could not forget it" /> : null}
      </Dialog>
    </section>
  );
}
