import { useQuery } from "@tanstack/react-query";
import type { FormatInfo, PlatformHeld } from "../bindings";
import { IconImport, IconInfo, IconPlug } from "../components/icons";
import { Badge, Button, Card, PageHeader } from "../components/ui";
import * as ipc from "../ipc";
import { openImportDialog } from "../lib/actions";
import { formatCount, formatDayRange, formatRelative } from "../lib/format";
import { shortTitle } from "../lib/formatTitles";
import { platformColorVar, PLATFORMS } from "../lib/platforms";
import { countOf } from "../lib/plural";
import { keys } from "../lib/queries";

/** What the ledger holds from a platform, in a line: "1,204 events · Jan 3, 2025 – Nov 20, 2026". */
function heldLine(held: PlatformHeld | undefined): string {
  if (!held || held.events === 0) return "Nothing imported yet";
  const days = held.first_day && held.last_day ? ` · ${formatDayRange(held.first_day, held.last_day)}` : "";
  return `${countOf(held.events, "event", "events", formatCount)}${days}`;
}

export function IntegrationsPage() {
  const held = useQuery({ queryKey: keys.platformsHeld, queryFn: ipc.platformsHeld });
  const formats = useQuery({ queryKey: keys.formats, queryFn: ipc.listFormats, staleTime: 60_000 });
  const heldOf = (slug: string): PlatformHeld | undefined => held.data?.find((h) => h.platform === slug);
  const readers = (slug: string): FormatInfo[] => (formats.data ?? []).filter((f) => f.platform === slug);
  return (
    <section data-testid="page-integrations" data-state="empty" aria-labelledby="integrations-title">
      <PageHeader title="Integrations" description="Each platform you sell on, synced on a schedule once connected." />
      <h1 id="integrations-title" className="sr-only">Integrations</h1>

      <Card className="mb-5 flex items-start gap-4 p-5" data-testid="integrations-empty">
        <span className="grid size-10 shrink-0 place-items-center rounded-full bg-surface-2 text-muted"><IconPlug size={20} /></span>
        <div className="min-w-0 flex-1">
          <p className="text-sm font-semibold text-fg">No connections yet</p>
          <p className="mt-1 max-w-2xl text-[13px] text-muted">
            Connecting a platform (an API key, or signing in through your browser) is not in this version; your keys will
            live in the system keyring, never in the ledger. Today every platform comes in through its report files: each card
            says which files Tributary reads from it and what the ledger already holds.
          </p>
        </div>
        <Button variant="primary" onClick={() => void openImportDialog()} className="shrink-0">
          <IconImport size={15} /> Import files…
        </Button>
      </Card>

      <ul className="grid grid-cols-2 gap-3 xl:grid-cols-3" aria-label="Platforms">
        {PLATFORMS.map((p) => {
          const h = heldOf(p.slug);
          return (
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
              <dl className="mt-3 grid gap-1 text-[12.5px]">
                <div className="flex gap-2">
                  <dt className="w-16 shrink-0 text-subtle">Reads</dt>
                  <dd className="min-w-0 text-fg" data-testid="integration-reads">
                    {readers(p.slug).length
                      ? readers(p.slug).map((f) => shortTitle(f.title || f.name)).join("; ")
                      : "No file format of its own yet: its CSV exports import through a column mapping."}
                  </dd>
                </div>
                <div className="flex gap-2">
                  <dt className="w-16 shrink-0 text-subtle">Has</dt>
                  <dd className="min-w-0 text-fg" data-testid="integration-held">
                    {heldLine(h)}
                    {h?.last_import ? <span className="text-subtle"> · last import {formatRelative(h.last_import)}</span> : null}
                  </dd>
                </div>
              </dl>
              <div className="mt-auto flex items-center justify-between gap-2 pt-4">
                <span className="inline-flex items-center gap-1.5 text-[12px] text-subtle" data-testid="integration-connection">
                  <span aria-hidden="true" className="size-1.5 rounded-full bg-subtle" /> {p.filesOnly ? "No API: reports only" : "No API connection yet"}
                </span>
                <Button size="sm" onClick={() => void openImportDialog()}>
                  {readers(p.slug).length ? "Import a report…" : "Import with a mapping…"}
                </Button>
              </div>
            </Card>
          </li>
          );
        })}
      </ul>
      <p className="mt-4 flex items-center gap-2 text-[12.5px] text-subtle">
        <IconInfo size={14} /> Nothing on this page reaches the network.
      </p>
    </section>
  );
}
