// A connected card's schedule: how often it syncs on its own (15 minutes to a day), when next, and
// Pause / Resume. Kept in the ledger, so the tray process and `tributary daemon` follow it at once.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import type { ConnectionHealth } from "../../bindings";
import { Button, cx, inputClass } from "../../components/ui";
import { toast } from "../../components/toast";
import * as ipc from "../../ipc";
import { INTERVALS, nextRunWords, shownName } from "../../lib/healthWords";
import { invalidateLedger } from "../../lib/queries";
import { useConnectionActions } from "../health/connectionActions";

export function ScheduleControls({ health, disabled }: { health: ConnectionHealth; disabled?: boolean }) {
  const client = useQueryClient();
  const id = useId();
  const shown = shownName(health);
  const { pause, busy } = useConnectionActions(health.connection, shown);
  const every = useMutation({
    mutationFn: (secs: number) => ipc.setSyncEvery(health.connection, secs),
    onError: (e) => toast({ title: `${shown}: schedule not changed`, description: e.message, tone: "error" }),
    onSettled: () => void invalidateLedger(client),
  });
  const paused = health.state === "paused";
  const options = INTERVALS.some((i) => i.secs === health.every_secs) ? INTERVALS : [...INTERVALS, { secs: health.every_secs, label: `Every ${Math.round(health.every_secs / 60)} minutes` }];
  return (
    <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-[12px] text-subtle" data-testid="schedule">
      <label htmlFor={id} className="sr-only">
        How often {shown} syncs
      </label>
      {/* Sized to its words: inputClass is full-width for forms. */}
      <select
        id={id}
        className={cx(inputClass.replace("w-full", "w-auto"), "h-7 py-0 pr-7 text-[12.5px]")}
        value={health.every_secs}
        onChange={(e) => every.mutate(Number(e.target.value))}
        disabled={disabled || every.isPending}
        data-testid="schedule-every"
      >
        {options.map((o) => (
          <option key={o.secs} value={o.secs}>
            {o.label}
          </option>
        ))}
      </select>
      <span data-testid="schedule-next">{paused || !health.next_at ? nextRunWords(health) : `Next: ${nextRunWords(health).toLowerCase()}`}</span>
      <Button size="sm" variant="ghost" onClick={() => pause.mutate(!paused)} disabled={disabled || busy} data-testid={paused ? "schedule-resume" : "schedule-pause"}>
        {paused ? "Resume" : "Pause"}
      </Button>
    </div>
  );
}
