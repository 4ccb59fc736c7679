// "Resume syncing" on the Health page: lifts the pause of every connection's scheduled syncs (the
// trays' "Pause syncing"), then refreshes what reads the ledger and says so in a toast.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "../../components/toast";
import * as ipc from "../../ipc";
import { invalidateLedger } from "../../lib/queries";

export function useResumeSyncing() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => ipc.setSyncingPaused(false),
    onSuccess: () => toast({ title: "Syncing resumed", description: "Connections that are due sync now, then on their schedules.", tone: "success" }),
    onError: (e) => toast({ title: "Syncing is still paused", description: e.message, tone: "error" }),
    onSettled: () => void invalidateLedger(client),
  });
}
