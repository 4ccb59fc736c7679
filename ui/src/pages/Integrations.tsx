import { IconImport, IconInfo, IconPlug } from "../components/icons";
import { Badge, Button, Card, PageHeader, Tooltip } from "../components/ui";
import { openImportDialog } from "../lib/actions";
import { platformColorVar, PLATFORMS } from "../lib/platforms";

export function IntegrationsPage() {
  return (
    <section data-testid="page-integrations" data-state="empty" aria-labelledby="integrations-title">
      <PageHeader title="Integrations" description="Each platform you sell on, synced on a schedule once connected." />
      <h1 id="integrations-title" className="sr-only">Integrations</h1>

      <Card className="mb-5 flex items-start gap-4 p-5" data-testid="integrations-empty">
        <span className="grid size-10 shrink-0 place-items-center rounded-full bg-surface-2 text-muted"><IconPlug size={20} /></span>
        <div className="min-w-0 flex-1">
          <p className="text-sm font-semibold text-fg">No connections yet</p>
          <p className="mt-1 max-w-2xl text-[13px] text-muted">
            Connecting a platform (an API key, or signing in through your browser) arrives in a coming version; your keys will
            live in the system keyring, never in the ledger. File imports work today: export a report from the platform and
            drop it on this window.
          </p>
        </div>
        <Button variant="primary" onClick={() => void openImportDialog()} className="shrink-0">
          <IconImport size={15} /> Import files…
        </Button>
      </Card>

      <ul className="grid grid-cols-2 gap-3 xl:grid-cols-3" aria-label="Platforms">
        {PLATFORMS.map((p) => (
          <li key={p.slug}>
            <Card className="flex h-full flex-col p-4" data-testid={`integration-${p.slug}`}>
              <div className="flex items-start gap-3">
                <span
                  aria-hidden="true"
                  className="grid size-10 shrink-0 place-items-center rounded-xl text-[14px] font-bold text-white"
                  style={{ background: `var(${platformColorVar(p.slug)})` }}
                >
                  {p.monogram}
                </span>
                <div className="min-w-0 flex-1">
                  <p className="flex items-center gap-2 text-[14px] font-semibold text-fg">
                    {p.name}
                    {p.filesOnly ? <Badge>Files only</Badge> : null}
                  </p>
                  <p className="mt-0.5 text-[12.5px] text-muted">{p.syncs}</p>
                </div>
              </div>
              <div className="mt-auto flex items-center justify-between gap-2 pt-4">
                <span className="inline-flex items-center gap-1.5 text-[12px] text-subtle">
                  <span aria-hidden="true" className="size-1.5 rounded-full bg-subtle" /> Not connected
                </span>
                {p.filesOnly ? (
                  <Tooltip content="KDP has no API: import its reports">
                    <Button size="sm" onClick={() => void openImportDialog()}>Import a report…</Button>
                  </Tooltip>
                ) : (
                  <Tooltip content="Coming soon — use a file import for now">
                    <Button size="sm" aria-disabled="true" data-testid={`connect-${p.slug}`} onClick={(e) => e.preventDefault()} aria-describedby={undefined}>
                      Connect
                    </Button>
                  </Tooltip>
                )}
              </div>
            </Card>
          </li>
        ))}
      </ul>
      <p className="mt-4 flex items-center gap-2 text-[12.5px] text-subtle">
        <IconInfo size={14} /> Connect buttons are placeholders until connections ship; nothing here reaches the network.
      </p>
    </section>
  );
}
