// The dashboard before the ledger holds anything: the two ways income comes in, and the demo.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { IconDashboard, IconFile, IconPlug, IconSparkle } from "../../components/icons";
import { toast } from "../../components/toast";
import { Button } from "../../components/ui";
import * as ipc from "../../ipc";
import { openImportDialog } from "../../lib/actions";
import { invalidateLedger, keys } from "../../lib/queries";
import { navigate } from "../../lib/router";

/** `onDemo`: the demo's files end on the day they were made, so it opens on all of its time. */
export function FirstRun({ onDemo }: { onDemo: () => void }) {
  const client = useQueryClient();
  const demo = useMutation({
    mutationFn: ipc.loadDemo,
    onSuccess: (info) => {
      onDemo();
      client.setQueryData(keys.appInfo, info);
      void invalidateLedger(client);
    },
    onError: (error) => toast({ tone: "error", title: "Could not load the demo", description: ipc.toCommandError(error).message }),
  });
  return (
    <div data-testid="empty-state" className="mx-auto flex max-w-[760px] flex-col items-center pt-10 pb-6 text-center">
      <div className="grid size-12 place-items-center rounded-2xl bg-accent-soft text-accent-text">
        <IconDashboard size={22} />
      </div>
      <h1 className="mt-4 text-2xl font-semibold tracking-tight text-fg">See all your income in one place</h1>
      <p className="mt-2 max-w-[520px] text-[14px] text-muted">
        Tributary keeps a ledger of what you earn on every platform, on this computer only. There are two ways to bring
        your income in.
      </p>
      <div className="mt-8 grid w-full gap-4 sm:grid-cols-2">
        <button
          type="button"
          data-testid="empty-import"
          onClick={() => void openImportDialog()}
          className="group flex flex-col items-start rounded-2xl border border-dashed border-line-strong bg-surface p-6 text-left shadow-card transition-colors hover:border-accent hover:bg-accent-soft/40"
        >
          <span className="grid size-10 place-items-center rounded-xl bg-surface-2 text-fg group-hover:bg-surface"><IconFile size={20} /></span>
          <span className="mt-4 text-base font-semibold text-fg">Drop a report file</span>
          <span className="mt-1 text-[13px] text-muted">
            A KDP workbook, a Stripe, Gumroad, Lemon Squeezy or Whatnot export, or any CSV. You see a preview before anything is added.
          </span>
          <span className="mt-4 text-[12.5px] font-medium text-accent-text">Choose files… <span className="text-subtle">or drag them anywhere onto this window</span></span>
        </button>
        <button
          type="button"
          data-testid="empty-connect"
          onClick={() => navigate("integrations")}
          className="group flex flex-col items-start rounded-2xl border border-line bg-surface p-6 text-left shadow-card transition-colors hover:border-accent hover:bg-accent-soft/40"
        >
          <span className="grid size-10 place-items-center rounded-xl bg-surface-2 text-fg group-hover:bg-surface"><IconPlug size={20} /></span>
          <span className="mt-4 text-base font-semibold text-fg">Connect a platform</span>
          <span className="mt-1 text-[13px] text-muted">
            Keep Stripe, Gumroad, Lemon Squeezy, Whop and others in sync automatically. Connections arrive in a coming version.
          </span>
          <span className="mt-4 text-[12.5px] font-medium text-accent-text">See integrations →</span>
        </button>
      </div>
      <div className="mt-8 flex flex-col items-center gap-2 rounded-2xl bg-surface-2 px-6 py-4">
        <p className="text-[13px] text-muted">Want to look around first?</p>
        <Button size="md" data-testid="load-demo" onClick={() => demo.mutate()} disabled={demo.isPending}>
          <IconSparkle size={15} /> {demo.isPending ? "Loading demo data…" : "Load demo data"}
        </Button>
        <p className="text-[12px] text-subtle">A year of sample sales in a workspace of its own; your ledger stays empty and untouched.</p>
      </div>
    </div>
  );
}

