import { useQuery } from "@tanstack/react-query";
import type { ConnectablePlatform, ConnectionRecord, FormatInfo, PlatformHeld } from "../bindings";
import { IconImport, IconInfo, IconPlug } from "../components/icons";
import { Badge, Button, Card, PageHeader } from "../components/ui";
import * as ipc from "../ipc";
import { openImportDialog } from "../lib/actions";
import { formatCount, formatDayRange, formatRelative } from "../lib/format";
import { shortTitle } from "../lib/formatTitles";
import { platformColorVar, PLATFORMS } from "../lib/platforms";
import { countOf } from "../lib/plural";
import { keys } from "../lib/queries";
import { ConnectionPanel } from "./integrations/ConnectionPanel";

/** What the ledger holds from a platform, in a line: "1,204 events · Jan 3, 2025 – Nov 20, 2026". */
function heldLine(held: PlatformHeld | undefined): string {
  if (!held || held.events === 0) return "Nothing imported yet";
  const days = held.first_day && held.last_day ? ` · ${formatDayRange(held.first_day, held.last_day)}` : "";
  return `${countOf(held.events, "event", "events", formatCount)}${days}`;
}

export function IntegrationsPage() {
  const held = useQuery({ queryKey: keys.platformsHeld, queryFn: ipc.platformsHeld });
  const formats = useQuery({ queryKey: keys.formats, queryFn: ipc.listFormats, staleTime: 60_000 });
  const connectable = useQuery({ queryKey: keys.connectable, queryFn: ipc.connectablePlatforms, staleTime: Infinity });
  const connections = useQuery({ queryKey: keys.connections, queryFn: ipc.listConnections });
  const heldOf = (slug: string): PlatformHeld | undefined => held.data?.find((h) => h.platform === slug);
  const readers = (slug: string): FormatInfo[] => (formats.data ?? []).filter((f) => f.platform === slug);
  const connectableOf = (slug: string): ConnectablePlatform | undefined => connectable.data?.find((c) => c.id === slug);
  // The platform's connection: an active one first, else the last one made (disconnected or not).
  const connectionOf = (slug: string): ConnectionRecord | undefined => {
    const of = (connections.data ?? []).filter((c) => c.platform === slug);
    return of.find((c) => c.state !== "disconnected") ?? of[of.length - 1];
  };
  const connected = (connections.data ?? []).filter((c) => c.state !== "disconnected");
  const names = (connectable.data ?? []).map((c) => c.name);
  return (
    <section data-testid="page-integrations" data-state={connected.length ? "connected" : "empty"} aria-labelledby="integrations-title">
      <PageHeader title="Integrations" description="Each platform you sell on: connected by its API, or through its report files." />
      <h1 id="integrations-title" className="sr-only">Integrations</h1>

      {connected.length === 0 ? (
        <Card className="mb-5 flex items-start gap-4 p-5" data-testid="integrations-empty">
          <span className="grid size-10 shrink-0 place-items-center rounded-full bg-surface-2 text-muted"><IconPlug size={20} /></span>
          <div className="min-w-0 flex-1">
            <p className="text-sm font-semibold text-fg">No connections yet</p>
            <p className="mt-1 max-w-2xl text-[13px] text-muted">
              {names.length ? `${names.join(" and ")} connect with an API key: ` : null}
              the key is checked with the platform, kept in the system keyring (never in the ledger), and its sales
              sync into the same ledger your files fill, each sale once however it arrived. Every other platform comes
              in through its report files: each card says which files Tributary reads from it and what the ledger holds.
            </p>
          </div>
          <Button variant="primary" onClick={() => void openImportDialog()} className="shrink-0">
            <IconImport size={15} /> Import files…
          </Button>
        </Card>
      ) : null}

      <ul className="grid grid-cols-2 gap-3 xl:grid-cols-3" aria-label="Platforms">
        {PLATFORMS.map((p) => {
          const h = heldOf(p.slug);
          const c = connectableOf(p.slug);
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
                  <p className="mt-0.5 text-[12.5px] text-muted">{c ? c.syncs.charAt(0).toUpperCase() + c.syncs.slice(1) : p.syncs}</p>
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
              {c ? (
                <ConnectionPanel platform={c} connection={connectionOf(p.slug)} />
              ) : (
                <div className="mt-auto flex items-center justify-between gap-2 pt-4">
                  <span className="inline-flex items-center gap-1.5 text-[12px] text-subtle" data-testid="integration-connection">
                    <span aria-hidden="true" className="size-1.5 rounded-full bg-subtle" /> {p.filesOnly ? "No API: reports only" : "No API connection yet: its files import"}
                  </span>
                  <Button size="sm" onClick={() => void openImportDialog()}>
                    {readers(p.slug).length ? "Import a report…" : "Import with a mapping…"}
                  </Button>
                </div>
              )}
            </Card>
          </li>
          );
        })}
      </ul>
      <p className="mt-4 flex items-center gap-2 text-[12.5px] text-subtle">
        <IconInfo size={14} /> Only Connect and Sync now reach the network, and only the platform's own API.
      </p>
    </section>
  );
}
