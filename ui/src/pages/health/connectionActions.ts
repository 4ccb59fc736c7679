// What the Health page (and the Integrations cards) can do for one connection: sync it now ("Retry
// now"), check its credential ("Check now", not a sync), pause or resume it. Each refreshes the views
// that read the ledger when it ends and says what happened in a toast.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { CredentialCheck, SyncReport } from "../../bindings";
import { toast } from "../../components/toast";
import * as ipc from "../../ipc";
import { formatCount } from "../../lib/format";
import { countOf } from "../../lib/plural";
import { invalidateLedger } from "../../lib/queries";

function refresh(client: ReturnType<typeof useQueryClient>): void {
  void invalidateLedger(client);
}

function syncToast(shown: string, r: SyncReport): void {
  if (r.failure) {
    toast({ title: `${shown}: the sync stopped`, description: r.failure.message, tone: "error" });
    return;
  }
  const added = r.inserted + r.updated;
  toast({
    title: `${shown} synced`,
    description: added === 0 ? "Up to date: nothing new." : `${countOf(r.inserted, "new event", "new events", formatCount)}${r.updated ? `, ${formatCount(r.updated)} updated` : ""}.`,
    tone: "success",
  });
}

function checkToast(shown: string, c: CredentialCheck): void {
  if (c.accepted) {
    toast({ title: `${shown} accepts the key`, description: c.account ? `It answers for ${c.account}.` : undefined, tone: "success" });
  } else if (c.needs_reconnect) {
    toast({ title: `${shown} refused the key`, description: `${c.failure?.message ?? ""} Reconnect it on Integrations.`.trim(), tone: "error" });
  } else {
    toast({ title: `${shown} could not be checked`, description: c.failure?.message, tone: "error" });
  }
}

/** The actions on connection `name`, shown to the person as `shown` ("Gumroad (shop-2)"). */
export function useConnectionActions(name: string, shown: string) {
  const client = useQueryClient();
  const sync = useMutation({
    mutationFn: () => ipc.syncConnection(name),
    onSuccess: (r) => syncToast(shown, r),
    onError: (e) => toast({ title: `${shown} did not sync`, description: e.message, tone: "error" }),
    onSettled: () => refresh(client),
  });
  const check = useMutation({
    mutationFn: () => ipc.checkConnection(name),
    onSuccess: (c) => checkToast(shown, c),
    onError: (e) => toast({ title: `${shown} could not be checked`, description: e.message, tone: "error" }),
    onSettled: () => refresh(client),
  });
  const pause = useMutation({
    mutationFn: (paused: boolean) => ipc.setConnectionPaused(name, paused),
    onSuccess: (_, paused) =>
      toast({ title: paused ? `${shown} paused` : `${shown} resumed`, description: paused ? "It syncs again when you resume it." : "It syncs at once, then on its schedule.", tone: "info" }),
    onError: (e) => toast({ title: `${shown}: not changed`, description: e.message, tone: "error" }),
    onSettled: () => refresh(client),
  });
  const busy = sync.isPending || check.isPending || pause.isPending;
  return { sync, check, pause, busy };
}
