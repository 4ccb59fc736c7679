// The one thing to do about a connection in trouble, as a button: Reconnect (to its card on
// Integrations, where the key form waits), Check now (after fixing the key's permissions), Retry now,
// Resume; a rate limit only waits, and says until when.
import type { ConnectionHealth } from "../../bindings";
import { Button } from "../../components/ui";
import { formatInstant } from "../../lib/format";
import { FIX_LABEL, shownName } from "../../lib/healthWords";
import { navigate } from "../../lib/router";
import { useConnectionActions } from "./connectionActions";

export function FixButton({ health, withName }: { health: ConnectionHealth; withName?: boolean }) {
  const shown = shownName(health);
  const { sync, check, pause, busy } = useConnectionActions(health.connection, shown);
  const fix = health.fix;
  if (!fix) return null;
  if (fix === "wait") {
    return (
      <span className="text-[12.5px] whitespace-nowrap text-muted" data-testid="fix" data-fix="wait">
        {health.waiting_until ? `Waits until ${formatInstant(health.waiting_until)}` : "Waits, then retries"}
      </span>
    );
  }
  const run = () => {
    switch (fix) {
      case "reconnect":
        navigate("integrations");
        return;
      case "check_permissions":
        check.mutate();
        return;
      case "retry_now":
        sync.mutate();
        return;
      case "resume":
        pause.mutate(false);
        return;
    }
  };
  const pending = busy ? (fix === "check_permissions" ? "Checking…" : fix === "retry_now" ? "Syncing…" : "…") : null;
  return (
    <Button size="sm" variant={fix === "reconnect" ? "primary" : "secondary"} onClick={run} disabled={busy} data-testid="fix" data-fix={fix} data-connection={health.connection}>
      {pending ?? (withName ? `${FIX_LABEL[fix]} ${shown}` : FIX_LABEL[fix])}
    </Button>
  );
}
