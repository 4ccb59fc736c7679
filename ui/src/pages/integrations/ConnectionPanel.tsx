// A platform card's connection part, for the platforms Tributary connects to by API key: the key form
// (a masked field, where to make the key, checked with the platform before anything is kept), and once
// connected the account, its state, the last sync, "Sync now" with live progress, and Disconnect with
// a confirmation. The key goes to the shell once and is never shown or sent back.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { ConnectablePlatform, ConnectionRecord, HealthState, SyncProgress, SyncReport } from "../../bindings";
import { IconRefresh } from "../../components/icons";
import { toast } from "../../components/toast";
import { Button, cx, Dialog, ErrorState, inputClass } from "../../components/ui";
import * as ipc from "../../ipc";
import { openImportDialog } from "../../lib/actions";
import { formatCount, formatRelative } from "../../lib/format";
import { countOf } from "../../lib/plural";
import { stateLook } from "../../lib/healthWords";
import { invalidateLedger, keys, useHealth } from "../../lib/queries";
import { AccountChoice, useAccountChoices } from "./AccountChoice";
import { ScheduleControls } from "./ScheduleControls";
import { SignInButton } from "./SignInButton";

/** Before the health is read: the connection's own state. */
const RECORD_STATE: Record<string, HealthState> = { active: "healthy", paused: "paused", needs_reconnect: "needs_reconnect", disconnected: "disconnected" };

/** "Added 42 events in 3 pages" from a sync's report. */
function syncSentence(r: SyncReport): string {
  const added = r.inserted + r.updated;
  const pages = countOf(r.pages, "page", "pages", formatCount);
  if (added === 0) return `Up to date: nothing new in ${pages}.`;
  return `${countOf(r.inserted, "new event", "new events", formatCount)}${r.updated ? `, ${formatCount(r.updated)} updated` : ""} in ${pages}.`;
}

export function ConnectionPanel({ platform, connection }: { platform: ConnectablePlatform; connection: ConnectionRecord | undefined }) {
  const [formOpen, setFormOpen] = useState(false);
  const usable = connection && connection.state !== "disconnected";
  if (!usable || formOpen || connection.state === "needs_reconnect") {
    return (
      <KeyForm
        platform={platform}
        reconnect={connection?.state === "needs_reconnect" ? connection : undefined}
        open={formOpen || connection?.state === "needs_reconnect"}
        onOpen={setFormOpen}
      />
    );
  }
  return <Connected platform={platform} connection={connection} />;
}

function KeyForm({ platform, reconnect, open, onOpen }: { platform: ConnectablePlatform; reconnect?: ConnectionRecord; open: boolean; onOpen: (open: boolean) => void }) {
  const client = useQueryClient();
  const id = useId();
  const [key, setKey] = useState("");
  const choices = useAccountChoices(platform.id);
  const [account, setAccount] = useState<string | null>(null);
  // A reconnect keeps its account; a new connection needs one chosen when there are several.
  const chosen = reconnect || choices.length === 0 || account !== null;
  const connect = useMutation({
    mutationFn: () => ipc.connectWithKey(platform.id, key, reconnect ? null : account),
    onSuccess: (c) => {
      setKey("");
      onOpen(false);
      void client.invalidateQueries({ queryKey: keys.connections });
      toast({ title: `${platform.name} connected`, description: `As ${c.remote_name}. Sync it now to bring in its sales.`, tone: "success" });
    },
  });
  const oauth = platform.auth.includes("oauth");
  if (reconnect && reconnect.auth_kind === "oauth") {
    return (
      <div className="mt-3 flex flex-col gap-2 border-t border-line pt-3" data-testid="connect-form">
        <p className="text-[12.5px] text-negative" data-testid="needs-reconnect">
          {platform.name} no longer accepts the sign-in of {reconnect.remote_name}
          {reconnect.state_reason ? ` (${reconnect.state_reason})` : ""}. Sign in again: the history and the sync position are kept.
        </p>
        <div className="flex justify-end">
          <SignInButton platform={platform} account={null} again />
        </div>
      </div>
    );
  }
  if (!open) {
    return (
      <div className="mt-auto flex flex-col gap-2 pt-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span className="inline-flex items-center gap-1.5 whitespace-nowrap text-[12px] text-subtle" data-testid="integration-connection">
          <span aria-hidden="true" className="size-1.5 rounded-full bg-subtle" /> Not connected
        </span>
        <span className="flex gap-2">
          <Button size="sm" onClick={() => void openImportDialog()}>Import a report…</Button>
          <Button size="sm" variant={oauth ? "secondary" : "primary"} onClick={() => onOpen(true)} data-testid="connect-open">
            {oauth ? "Use a key…" : "Connect…"}
          </Button>
        </span>
      </div>
      {oauth ? (
        <>
          <AccountChoice choices={choices} value={account} onChange={setAccount} platformName={platform.name} />
          <div className="flex justify-end">
            <SignInButton platform={platform} account={account} disabled={!chosen} />
          </div>
        </>
      ) : null}
      </div>
    );
  }
  return (
    <form
      className="mt-3 flex flex-col gap-2 border-t border-line pt-3"
      data-testid="connect-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (key.trim() && chosen) connect.mutate();
      }}
    >
      {reconnect ? (
        <p className="text-[12.5px] text-negative" data-testid="needs-reconnect">
          {platform.name} no longer accepts the key of {reconnect.remote_name}
          {reconnect.state_reason ? ` (${reconnect.state_reason})` : ""}. Paste a new one: the history and the sync position are kept.
        </p>
      ) : null}
      <label htmlFor={id} className="text-[12.5px] font-medium text-muted">
        {platform.name} API key
      </label>
      <input
        id={id}
        type="password"
        autoComplete="off"
        spellCheck={false}
        className={cx(inputClass, "font-mono")}
        value={key}
        onChange={(e) => setKey(e.target.value)}
        placeholder="Paste the key"
        data-testid="connect-key"
        disabled={connect.isPending}
      />
      <p className="text-[12px] text-subtle">{platform.token_help} It is checked with {platform.name} first, then kept in the system keyring, never in the ledger.</p>
      {reconnect ? null : <AccountChoice choices={choices} value={account} onChange={setAccount} platformName={platform.name} />}
      {connect.isError ? <ErrorState compact error={connect.error} title={`${platform.name} did not accept it`} /> : null}
      <div className="flex justify-end gap-2">
        {reconnect ? null : (
          <Button size="sm" type="button" onClick={() => { setKey(""); connect.reset(); onOpen(false); }} disabled={connect.isPending}>
            Cancel
          </Button>
        )}
        <Button size="sm" variant="primary" type="submit" disabled={!key.trim() || !chosen || connect.isPending} data-testid="connect-submit">
          {connect.isPending ? `Checking with ${platform.name}…` : reconnect ? "Reconnect" : "Check and connect"}
        </Button>
      </div>
    </form>
  );
}

/** At most one refresh of the ledger's views a second while a sync's pages land. */
const LANDED_REFRESH_MS = 1000;

function Connected({ platform, connection }: { platform: ConnectablePlatform; connection: ConnectionRecord }) {
  const client = useQueryClient();
  const [progress, setProgress] = useState<SyncProgress | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [renaming, setRenaming] = useState(false);
  const sync = useMutation({
    mutationFn: () => {
      // Each page is written when it lands: the dashboard and the cards follow, a second at most apart.
      let last = 0;
      return ipc.syncConnection(connection.name, (p) => {
        setProgress(p);
        const now = Date.now();
        if (now - last >= LANDED_REFRESH_MS) {
          last = now;
          void invalidateLedger(client);
        }
      });
    },
    onSettled: () => {
      setProgress(null);
      void client.invalidateQueries({ queryKey: keys.connections });
      void invalidateLedger(client);
    },
  });
  const disconnect = useMutation({
    mutationFn: () => ipc.disconnect(connection.name),
    onSuccess: () => {
      setConfirming(false);
      void client.invalidateQueries({ queryKey: keys.connections });
      toast({ title: `${platform.name} disconnected`, description: "Its key is deleted from the keyring; the sales it brought stay in the ledger.", tone: "info" });
    },
  });
  const health = useHealth().data?.connections.find((h) => h.connection === connection.name);
  const state = stateLook(health ?? { state: RECORD_STATE[connection.state] ?? "healthy", paused_by: connection.state === "paused" ? "person" : null });
  const report = sync.data;
  const failure = report?.failure;
  return (
    <div className="mt-3 flex flex-col gap-2 border-t border-line pt-3" data-testid="connection" data-state={connection.state} data-name={connection.name}>
      <p className="flex items-center gap-1.5 text-[12.5px] text-fg" data-testid="integration-connection">
        <span aria-hidden="true" className={cx("size-1.5 rounded-full", state.dot)} />
        <span className={cx("font-medium", state.text)} data-testid="connection-health" data-health={health?.state ?? ""}>
          {state.label}
        </span>
        <span className="min-w-0 truncate text-muted" title={connection.remote_name}>as {connection.remote_name}</span>
      </p>
      <p className="text-[12px] text-subtle" data-testid="last-sync">
        {connection.last_success_at ? `Last sync ${formatRelative(connection.last_success_at)}` : "Not synced yet"}
        {connection.rows_synced > 0 ? ` · ${countOf(connection.rows_synced, "row", "rows", formatCount)} synced` : ""}
        {connection.account !== "main" ? ` · account ${connection.account}` : ""}
        {connection.name !== platform.id ? ` · named ${connection.name}` : ""}
      </p>
      {health?.sentence && health.state !== "paused" ? (
        <p className="text-[12px] text-muted" data-testid="connection-sentence">
          {health.sentence}
        </p>
      ) : null}
      {health ? <ScheduleControls health={health} disabled={sync.isPending} /> : null}
      {sync.isPending ? (
        <p className="text-[12.5px] text-muted" role="status" data-testid="sync-progress">
          {progress ? `${countOf(progress.pages, "page", "pages", formatCount)}, ${countOf(progress.events, "event", "events", formatCount)} so far…` : `Asking ${platform.name}…`}
        </p>
      ) : report && !failure ? (
        <p className="text-[12.5px] text-positive" role="status" data-testid="sync-result" data-inserted={report.inserted}>
          {syncSentence(report)}
        </p>
      ) : null}
      {failure ? (
        <ErrorState compact error={{ code: failure.code, message: failure.message, hint: null, retry: true }} title={`The sync stopped: what came before is kept`} />
      ) : null}
      {sync.isError ? <ErrorState compact error={sync.error} title="Could not sync" /> : null}
      <div className="flex flex-wrap justify-end gap-2">
        <Button size="sm" variant="ghost" onClick={() => setRenaming(true)} disabled={sync.isPending} data-testid="rename-open">
          Rename…
        </Button>
        <Button size="sm" onClick={() => setConfirming(true)} disabled={sync.isPending} data-testid="disconnect-open">
          Disconnect…
        </Button>
        <Button size="sm" variant="primary" onClick={() => sync.mutate()} disabled={sync.isPending} data-testid="sync-now">
          <IconRefresh size={14} /> {sync.isPending ? "Syncing…" : "Sync now"}
        </Button>
      </div>
      <Dialog
        open={confirming}
        onOpenChange={setConfirming}
        title={`Disconnect ${platform.name}?`}
        description={`The key for ${connection.remote_name} is deleted from the keyring and syncing stops. The sales already synced stay in the ledger; connecting again carries on from where it stopped.`}
        testId="disconnect-dialog"
        footer={
          <>
            <Button onClick={() => setConfirming(false)}>Keep it</Button>
            <Button variant="danger" onClick={() => disconnect.mutate()} disabled={disconnect.isPending} data-testid="disconnect-confirm">
              Disconnect
            </Button>
          </>
        }
      >
        {disconnect.isError ? <ErrorState compact error={disconnect.error} title="Could not disconnect" /> : null}
      </Dialog>
      {renaming ? <RenameDialog platform={platform} connection={connection} onClose={() => setRenaming(false)} /> : null}
    </div>
  );
}

function RenameDialog({ platform, connection, onClose }: { platform: ConnectablePlatform; connection: ConnectionRecord; onClose: () => void }) {
  const client = useQueryClient();
  const id = useId();
  const [name, setName] = useState(connection.name);
  const rename = useMutation({
    mutationFn: () => ipc.renameConnection(connection.name, name.trim()),
    onSuccess: (c) => {
      void client.invalidateQueries({ queryKey: keys.connections });
      toast({ title: `Renamed to ${c.name}`, description: `tributary sync ${c.name} syncs it from a terminal.`, tone: "success" });
      onClose();
    },
  });
  const unchanged = name.trim() === connection.name || !name.trim();
  return (
    <Dialog
      open
      onOpenChange={(open) => (open ? null : onClose())}
      title={`Rename the ${platform.name} connection`}
      description="Its history, sync position and key stay with it. A name is one word: letters, digits, - and _."
      testId="rename-dialog"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" onClick={() => rename.mutate()} disabled={unchanged || rename.isPending} data-testid="rename-confirm">
            Rename
          </Button>
        </>
      }
    >
      <form
        className="flex flex-col gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (!unchanged) rename.mutate();
        }}
      >
        <label htmlFor={id} className="text-[12.5px] font-medium text-muted">
          Name
        </label>
        <input id={id} className={cx(inputClass, "font-mono")} value={name} onChange={(e) => setName(e.target.value)} spellCheck={false} autoComplete="off" data-testid="rename-name" />
        {rename.isError ? <ErrorState compact error={rename.error} title="Not renamed" /> : null}
      </form>
    </Dialog>
  );
}
