import * as RadioGroup from "@radix-ui/react-radio-group";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { Settings, Theme } from "../bindings";
import { IconFolder } from "../components/icons";
import { toast } from "../components/toast";
import { Button, Card, cx, ErrorState, inputClass, PageHeader, Skeleton, Switch } from "../components/ui";
import * as ipc from "../ipc";
import { formatCount, formatInstant } from "../lib/format";
import { keys, useAppInfo, useLedgerStatus, useSettings, useTimeZone } from "../lib/queries";
import { applyTheme } from "../lib/theme";
import { saveLedger } from "../lib/exports";
import { EmailSection } from "./settings/EmailSection";
import { MappingsSection } from "./settings/MappingsSection";

const THEMES: Array<{ value: Theme; label: string; hint: string }> = [
  { value: "system", label: "System", hint: "Follows your computer" },
  { value: "light", label: "Light", hint: "Always light" },
  { value: "dark", label: "Dark", hint: "Always dark" },
];

export function SettingsPage() {
  const settings = useSettings();
  const info = useAppInfo();
  const ledger = useLedgerStatus();
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: ipc.setSettings,
    onMutate: async (next: Settings) => {
      await client.cancelQueries({ queryKey: keys.settings });
      const before = client.getQueryData<Settings>(keys.settings);
      client.setQueryData(keys.settings, next);
      return { before };
    },
    onError: (error, _next, ctx) => {
      if (ctx?.before) {
        client.setQueryData(keys.settings, ctx.before);
        applyTheme(ctx.before.theme);
      }
      toast({ tone: "error", title: "Could not save the setting", description: ipc.toCommandError(error).message });
    },
    onSuccess: (saved) => client.setQueryData(keys.settings, saved),
  });
  const openFolder = useMutation({
    mutationFn: ipc.openDataFolder,
    onError: (error) => toast({ tone: "error", title: "Could not open the folder", description: ipc.toCommandError(error).message }),
  });

  const state = settings.isError || info.isError ? "error" : settings.isPending || info.isPending ? "loading" : "data";
  const s = settings.data;
  const update = (patch: Partial<Settings>) => {
    if (!s) return;
    const next = { ...s, ...patch };
    if (patch.theme) applyTheme(patch.theme);
    save.mutate(next);
  };

  return (
    <section data-testid="page-settings" data-state={state} aria-labelledby="settings-title">
      <PageHeader title="Settings" />
      <h1 id="settings-title" className="sr-only">Settings</h1>
      {state === "error" ? (
        <ErrorState
          error={settings.error ?? info.error}
          title="Could not load the settings"
          onRetry={() => {
            void settings.refetch();
            void info.refetch();
          }}
        />
      ) : (
        <div className="flex max-w-[760px] flex-col gap-5">
          <Section title="Data">
            <Row label="Data folder" description="The ledger (one SQLite file), saved mappings and logs live here. Back it up like any folder.">
              <div className="flex min-w-0 items-center gap-2">
                {info.data ? (
                  <code data-testid="data-dir" className="min-w-0 truncate rounded-md border border-line bg-surface-2 px-2 py-1 font-mono text-[12px] text-fg" title={info.data.data_dir}>
                    {info.data.data_dir}
                  </code>
                ) : (
                  <Skeleton className="h-6 w-56" />
                )}
                <Button size="sm" data-testid="open-data-folder" onClick={() => openFolder.mutate()} disabled={!info.data}>
                  <IconFolder size={14} /> Open folder
                </Button>
              </div>
            </Row>
            <TimeZoneRow />
            <Row label="Export the ledger" description="Every event as Tributary's ledger CSV, the file the command line's export writes: to keep, or to open in a spreadsheet.">
              <Button size="sm" data-testid="export-ledger" onClick={() => void saveLedger()}>Export…</Button>
            </Row>
          </Section>

          <MappingsSection />

          <Section title="Behaviour">
            <ToggleRow id="setting-start-at-login" label="Start at login" description="Open Tributary in the tray when you log in." checked={s?.start_at_login} onChange={(v) => update({ start_at_login: v })} />
            <ToggleRow id="setting-close-to-tray" label="Close to tray" description={info.data && !info.data.tray ? "Keep running in the tray when the window closes. No tray is available on this desktop." : "Keep running in the tray when the window closes, so schedules keep syncing."} checked={s?.close_to_tray} onChange={(v) => update({ close_to_tray: v })} />
            <ToggleRow id="setting-notifications" label="Notifications" description="Tell me when an import finishes or a connection needs attention." checked={s?.notifications} onChange={(v) => update({ notifications: v })} />
          </Section>

          <EmailSection />

          <Section title="Appearance">
            <Row label="Theme" description="Applied immediately." labelId="theme-label">
              {s ? (
                <RadioGroup.Root aria-labelledby="theme-label" value={s.theme} onValueChange={(v) => update({ theme: v as Theme })} className="flex gap-2">
                  {THEMES.map((t) => (
                    <RadioGroup.Item
                      key={t.value}
                      value={t.value}
                      data-testid={`theme-${t.value}`}
                      className={cx(
                        "flex w-[128px] flex-col items-start rounded-lg border px-3 py-2 text-left transition-colors",
                        "border-line bg-surface hover:bg-surface-2 data-[state=checked]:border-accent data-[state=checked]:ring-1 data-[state=checked]:ring-accent",
                      )}
                    >
                      <span className="flex w-full items-center justify-between text-[13px] font-medium text-fg">
                        {t.label}
                        <span className="grid size-3.5 place-items-center rounded-full border border-line-strong">
                          <RadioGroup.Indicator className="size-2 rounded-full bg-accent" />
                        </span>
                      </span>
                      <span className="text-[11.5px] text-subtle">{t.hint}</span>
                    </RadioGroup.Item>
                  ))}
                </RadioGroup.Root>
              ) : (
                <Skeleton className="h-12 w-[400px]" />
              )}
            </Row>
          </Section>

          <Section title="About">
            <dl className="grid grid-cols-[160px_1fr] gap-y-2 px-5 py-4 text-[13px]">
              <dt className="text-subtle">Version</dt>
              <dd className="text-fg tabular" data-testid="app-version">{info.data?.version ?? "—"}</dd>
              <dt className="text-subtle">Workspace</dt>
              <dd className="text-fg">{info.data ? (info.data.workspace === "demo" ? "Demo data" : "Your ledger") : "—"}</dd>
              <dt className="text-subtle">Events in the ledger</dt>
              <dd className="text-fg tabular" data-testid="ledger-events">{ledger.data ? formatCount(ledger.data.events) : "—"}</dd>
              <dt className="text-subtle">Imports</dt>
              <dd className="text-fg tabular">
                {ledger.data ? `${formatCount(ledger.data.batches_imported)}${ledger.data.batches_undone ? ` (and ${formatCount(ledger.data.batches_undone)} undone)` : ""}` : "—"}
              </dd>
              <dt className="text-subtle">Last import</dt>
              <dd className="text-fg" data-testid="last-import" data-instant={info.data?.last_import ?? ""}>{info.data?.last_import ? formatInstant(info.data.last_import) : "Never"}</dd>
              <dt className="text-subtle">Ledger schema</dt>
              <dd className="text-fg tabular">{info.data?.schema_version ?? "—"}</dd>
            </dl>
          </Section>
        </div>
      )}
    </section>
  );
}

/** The zone days are counted in: the system's, or one chosen for this ledger (the days are counted again). */
function TimeZoneRow() {
  const zone = useTimeZone();
  const client = useQueryClient();
  const choose = useMutation({
    mutationFn: ipc.setTimeZone,
    onSuccess: (info) => {
      client.setQueryData(keys.timeZone, info);
      // Every figure by day, week or month may have moved.
      void client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== keys.timeZone[0] });
      toast({ title: `Days are now counted in ${info.counted_in}`, description: info.chosen ? "Chosen for this ledger." : "Your computer's time zone." });
    },
    onError: (error) => toast({ tone: "error", title: "Could not change the time zone", description: ipc.toCommandError(error).message }),
  });
  const info = zone.data;
  const pending = choose.isPending ? choose.variables : undefined;
  return (
    <Row
      label="Time zone"
      labelId="time-zone-label"
      description={
        pending !== undefined
          ? `Counting the days again in ${pending ?? info?.system ?? "your computer's zone"}…`
          : "Days, weeks and months are counted in this zone: a sale at 11:30 pm is that evening's."
      }
    >
      {info ? (
        <select
          aria-labelledby="time-zone-label"
          data-testid="setting-time-zone"
          className={cx(inputClass, "w-[280px]")}
          value={info.chosen ? info.counted_in : ""}
          disabled={choose.isPending}
          onChange={(e) => choose.mutate(e.target.value === "" ? null : e.target.value)}
        >
          <option value="">Your computer's ({info.system})</option>
          {info.available.map((name) => (
            <option key={name} value={name}>
              {name.replaceAll("_", " ")}
            </option>
          ))}
        </select>
      ) : zone.isError ? (
        <span className="text-[13px] text-subtle">Could not read the time zone</span>
      ) : (
        <Skeleton className="h-8 w-[280px]" />
      )}
    </Row>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section>
      <h2 className="mb-2 text-[12px] font-semibold tracking-wide text-subtle uppercase">{title}</h2>
      <Card className="divide-y divide-line">{children}</Card>
    </section>
  );
}

function Row({ label, description, children, labelId }: { label: string; description?: string; children: ReactNode; labelId?: string }) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-x-6 gap-y-3 px-5 py-4">
      <div className="min-w-[220px] flex-1">
        <p id={labelId} className="text-[13.5px] font-medium text-fg">{label}</p>
        {description ? <p className="mt-0.5 text-[12.5px] text-subtle">{description}</p> : null}
      </div>
      <div className="min-w-0 max-w-full">{children}</div>
    </div>
  );
}

function ToggleRow({ id, label, description, checked, onChange }: { id: string; label: string; description: string; checked: boolean | undefined; onChange: (v: boolean) => void }) {
  return (
    <div className="flex items-center justify-between gap-6 px-5 py-4">
      <div className="min-w-0">
        <label htmlFor={id} className="text-[13.5px] font-medium text-fg">{label}</label>
        <p className="mt-0.5 text-[12.5px] text-subtle">{description}</p>
      </div>
      {checked === undefined ? (
        <Skeleton className="h-5 w-9 rounded-full" />
      ) : (
        <Switch id={id} testId={id} checked={checked} onCheckedChange={onChange} />
      )}
    </div>
  );
}
