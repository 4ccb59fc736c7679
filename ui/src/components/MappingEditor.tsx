// "Create a column mapping" for a CSV Tributary has no format for: pick the columns from the file's header,
// see the file read through the draft live (debounced preview_mapping), save it, then re-preview the file.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useMemo, useState, type ReactNode } from "react";
import type { CsvSample, DateOrder, DecimalMark, MappingDraft } from "../bindings";
import * as ipc from "../ipc";
import { fileName } from "../lib/importQueue";
import { draftProblems, guessDraft, saveProblems } from "../lib/mapping";
import { keys } from "../lib/queries";
import { useDebounced } from "../lib/useDebounced";
import { PreviewBody } from "./PreviewBody";
import { IconTable } from "./icons";
import { toast } from "./toast";
import { Button, Card, cx, ErrorState, inputClass, Skeleton } from "./ui";

const NONE = "";

export function MappingEditor({ path, onCancel, onSaved }: { path: string; onCancel: () => void; onSaved: (format: string) => void }) {
  const sample = useQuery({ queryKey: keys.csvSample(path), queryFn: () => ipc.csvSample(path), staleTime: Infinity });
  return (
    <Card data-testid="mapping-editor" data-state={sample.isError ? "error" : sample.isPending ? "loading" : "ready"} className="overflow-hidden">
      <div className="flex items-center gap-3 border-b border-line px-5 py-3.5">
        <span className="grid size-9 place-items-center rounded-lg bg-surface-2 text-muted"><IconTable size={18} /></span>
        <div className="min-w-0 flex-1">
          <p className="text-[14px] font-semibold text-fg">New column mapping</p>
          <p className="truncate text-[12px] text-subtle">for {fileName(path)}</p>
        </div>
      </div>
      {sample.isPending ? (
        <div className="flex flex-col gap-3 p-5"><Skeleton className="h-8 w-full" /><Skeleton className="h-32 w-full" /></div>
      ) : sample.isError ? (
        <div className="p-5">
          <ErrorState error={sample.error} title="Could not read the file's columns" onRetry={() => void sample.refetch()} />
          <div className="mt-4 flex justify-end"><Button onClick={onCancel}>Back</Button></div>
        </div>
      ) : (
        <Editor sample={sample.data} path={path} onCancel={onCancel} onSaved={onSaved} />
      )}
    </Card>
  );
}

function Editor({ sample, path, onCancel, onSaved }: { sample: CsvSample; path: string; onCancel: () => void; onSaved: (format: string) => void }) {
  const client = useQueryClient();
  const [draft, setDraft] = useState<MappingDraft>(() => guessDraft(sample, fileName(path)));
  const set = <K extends keyof MappingDraft>(k: K, v: MappingDraft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const debounced = useDebounced(draft, 350);
  const problems = draftProblems(debounced);
  // The name and title change nothing in how the file reads: typing them must not re-read the file.
  const reading = useMemo(() => ({ ...debounced, name: "preview", title: null }), [debounced]);
  const readingKey = JSON.stringify(reading);
  const live = useQuery({
    queryKey: keys.previewMapping(path, readingKey),
    queryFn: () => ipc.previewMapping(path, reading),
    enabled: problems.length === 0,
    staleTime: Infinity,
    placeholderData: (prev) => prev,
  });
  const save = useMutation({
    mutationFn: () => ipc.saveMapping(draft),
    onSuccess: (info) => {
      toast({ tone: "success", title: `Mapping “${info.title || info.name}” saved`, description: "Files like this one now import directly." });
      void client.invalidateQueries({ queryKey: keys.formats });
      onSaved(info.name);
    },
  });
  const toSave = saveProblems(draft);
  const headers = sample.headers;
  const used = new Set([draft.date_column, draft.gross, draft.net, ...draft.fees, draft.currency_column, draft.id_column, ...draft.id_derive, draft.product_name, draft.product_id, draft.quantity, draft.buyer_email, draft.country, draft.refund_column].filter(Boolean) as string[]);

  return (
    <div className="flex flex-col gap-5 p-5">
      <SampleTable sample={sample} used={used} />

      <div className="grid gap-x-5 gap-y-4 md:grid-cols-2 xl:grid-cols-3">
        <Group title="Date">
          <ColumnSelect label="Date column" required headers={headers} value={draft.date_column} onChange={(v) => set("date_column", v ?? "")} />
          <Select label="Date order" value={draft.date_order ?? NONE} onChange={(v) => set("date_order", (v || null) as DateOrder | null)}
            options={[[NONE, "Detect from the values"], ["year_month_day", "Year-month-day (2026-03-31)"], ["day_month_year", "Day-month-year (31.03.2026)"], ["month_day_year", "Month/day/year (03/31/2026)"], ["excel_serial", "Excel serial number"]]} />
        </Group>
        <Group title="Amounts">
          <ColumnSelect label="Gross (amount charged)" headers={headers} value={draft.gross} onChange={(v) => set("gross", v)} />
          <ColumnSelect label="Net (what you kept)" headers={headers} value={draft.net} onChange={(v) => set("net", v)} hint="Empty: gross − fees." />
          <ColumnChecks label="Fee columns" headers={headers} value={draft.fees} onChange={(v) => set("fees", v)} />
        </Group>
        <Group title="Number format">
          <Select label="Decimal mark" value={draft.decimal_mark ?? NONE} onChange={(v) => set("decimal_mark", (v || null) as DecimalMark | null)}
            options={[[NONE, "Detect from the values"], ["point", "Point (1,234.56)"], ["comma", "Comma (1.234,56)"]]} />
          <Check label="Amounts are in minor units (1199 = 11.99)" checked={draft.minor_units} onChange={(v) => set("minor_units", v)} />
        </Group>
        <Group title="Currency">
          <Either
            name="currency"
            mode={draft.currency_column !== null ? "column" : "fixed"}
            onMode={(m) => setDraft((d) => (m === "column" ? { ...d, currency_column: d.currency_column ?? headers[0] ?? "", currency_fixed: null } : { ...d, currency_column: null, currency_fixed: d.currency_fixed ?? "USD" }))}
            a="From a column"
            b="Same for every row"
          />
          {draft.currency_column !== null ? (
            <ColumnSelect label="Currency column" headers={headers} value={draft.currency_column} onChange={(v) => set("currency_column", v)} required />
          ) : (
            <TextInput label="Currency code" value={draft.currency_fixed ?? ""} onChange={(v) => set("currency_fixed", v.toUpperCase().slice(0, 3) || null)} placeholder="USD" />
          )}
        </Group>
        <Group title="Transaction id">
          <Either
            name="id"
            mode={draft.id_column !== null ? "column" : "fixed"}
            onMode={(m) => setDraft((d) => (m === "column" ? { ...d, id_column: d.id_column ?? headers[0] ?? "", id_derive: [] } : { ...d, id_column: null }))}
            a="From a column"
            b="Derive from columns"
          />
          {draft.id_column !== null ? (
            <ColumnSelect label="Id column" headers={headers} value={draft.id_column} onChange={(v) => set("id_column", v)} required hint="Makes re-importing the same file safe." />
          ) : (
            <ColumnChecks label="Columns that together identify a row" headers={headers} value={draft.id_derive} onChange={(v) => set("id_derive", v)} />
          )}
        </Group>
        <Group title="Refund rows (optional)">
          <ColumnSelect label="Column that marks a refund" headers={headers} value={draft.refund_column}
            onChange={(v) => set("refund_column", v)} hint="For files that list refunds as rows of their own." />
          {draft.refund_column ? (
            <TextInput label="Values that mean a refund" value={draft.refund_values.join(",")}
              onChange={(v) => set("refund_values", v.split(","))}
              placeholder="Refund, Erstattung" hint="Separated by commas; compared ignoring case." />
          ) : null}
          <Check label="A negative amount is a refund" checked={draft.refund_when_negative} onChange={(v) => set("refund_when_negative", v)} />
        </Group>
        <Group title="Details (optional)">
          <ColumnSelect label="Product name" headers={headers} value={draft.product_name} onChange={(v) => set("product_name", v)} />
          <ColumnSelect label="Product id" headers={headers} value={draft.product_id} onChange={(v) => set("product_id", v)} />
          <ColumnSelect label="Quantity" headers={headers} value={draft.quantity} onChange={(v) => set("quantity", v)} />
          <ColumnSelect label="Buyer email" headers={headers} value={draft.buyer_email} onChange={(v) => set("buyer_email", v)} />
          <ColumnSelect label="Country (ISO code)" headers={headers} value={draft.country} onChange={(v) => set("country", v)} />
        </Group>
        <Group title="Save as">
          <TextInput label="Name" value={draft.name} onChange={(v) => set("name", v)} hint="Letters, digits, - and _." />
          <TextInput label="Title" value={draft.title ?? ""} onChange={(v) => set("title", v || null)} placeholder="My shop's order export" />
          <TextInput label="Platform" value={draft.platform} onChange={(v) => set("platform", v.toLowerCase())} hint="Slug shown in reports, e.g. myshop." />
        </Group>
      </div>

      <div className="rounded-xl border border-line" data-testid="mapping-preview" data-state={problems.length ? "incomplete" : live.isError ? "error" : live.data ? "ready" : "loading"}>
        <div className="flex items-center justify-between border-b border-line px-4 py-2.5">
          <p className="text-[13px] font-semibold text-fg">Live preview</p>
          <p className="text-[12px] text-subtle">{live.isFetching ? "Reading…" : "Updates as you change the mapping"}</p>
        </div>
        {problems.length > 0 ? (
          <ul className="list-disc px-8 py-3 text-[13px] text-muted">{problems.map((p) => <li key={p}>{p}</li>)}</ul>
        ) : live.isError ? (
          <div className="p-4"><ErrorState compact error={live.error} title="The file does not read with this mapping yet" /></div>
        ) : live.data ? (
          <PreviewBody data={live.data} />
        ) : (
          <div className="p-4"><Skeleton className="h-24 w-full" /></div>
        )}
      </div>

      {save.isError ? <ErrorState compact error={save.error} title="Could not save the mapping" /> : null}
      <div className="flex items-center justify-end gap-2">
        {toSave.length > 0 ? <p className="mr-auto text-[12.5px] text-subtle">{toSave[0]}</p> : null}
        <Button onClick={onCancel} disabled={save.isPending}>Back</Button>
        <Button variant="primary" data-testid="save-mapping" onClick={() => save.mutate()} disabled={save.isPending || toSave.length > 0}>
          {save.isPending ? "Saving…" : "Save mapping and preview"}
        </Button>
      </div>
    </div>
  );
}

function SampleTable({ sample, used }: { sample: CsvSample; used: Set<string> }) {
  return (
    <div>
      <p className="mb-1.5 text-[12px] text-subtle">
        First {sample.rows.length} rows · {sample.encoding} · delimiter {sample.delimiter === "\t" ? "tab" : `“${sample.delimiter}”`}. Columns in use are highlighted.
      </p>
      <div className="max-h-[190px] overflow-auto rounded-lg border border-line">
        <table className="w-full text-[12px]" data-testid="mapping-sample">
          <thead className="sticky top-0">
            <tr>
              {sample.headers.map((h) => (
                <th key={h} scope="col" className={cx("border-b border-line px-2.5 py-1.5 text-left font-semibold whitespace-nowrap", used.has(h) ? "bg-accent-soft text-accent-text" : "bg-surface-2 text-muted")}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {sample.rows.slice(0, 8).map((r, i) => (
              <tr key={i} className="border-b border-line last:border-0">
                {sample.headers.map((h, j) => (
                  <td key={h} className="max-w-[220px] truncate px-2.5 py-1 whitespace-nowrap text-fg tabular">{r[j] ?? ""}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function Group({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="flex min-w-0 flex-col gap-2.5">
      <legend className="mb-2 text-[12px] font-semibold tracking-wide text-subtle uppercase">{title}</legend>
      {children}
    </fieldset>
  );
}

function Select({ label, value, onChange, options, hint }: { label: string; value: string; onChange: (v: string) => void; options: Array<[string, string]>; hint?: string }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-[12.5px] font-medium text-muted">{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} className={inputClass}>
        {options.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
      </select>
      {hint ? <p className="text-[12px] text-subtle">{hint}</p> : null}
    </div>
  );
}

function ColumnSelect({ label, headers, value, onChange, required, hint }: { label: string; headers: string[]; value: string | null; onChange: (v: string | null) => void; required?: boolean; hint?: string }) {
  const options: Array<[string, string]> = [[NONE, required ? "Choose a column…" : "— none —"], ...headers.map((h): [string, string] => [h, h])];
  return <Select label={label} value={value ?? NONE} onChange={(v) => onChange(v || null)} options={options} hint={hint} />;
}

function ColumnChecks({ label, headers, value, onChange }: { label: string; headers: string[]; value: string[]; onChange: (v: string[]) => void }) {
  return (
    <div>
      <p className="text-[12.5px] font-medium text-muted">{label}</p>
      <div className="mt-1 flex max-h-[112px] flex-col gap-0.5 overflow-auto rounded-md border border-line p-1.5">
        {headers.map((h) => (
          <Check key={h} label={h} checked={value.includes(h)} onChange={(on) => onChange(on ? [...value, h] : value.filter((x) => x !== h))} />
        ))}
      </div>
    </div>
  );
}

function Check({ label, checked, onChange }: { label: string; checked: boolean; onChange: (v: boolean) => void }) {
  const id = useId();
  return (
    <div className="flex items-center gap-2 text-[13px]">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} className="size-3.5 accent-[var(--accent)]" />
      <label htmlFor={id} className="truncate text-fg">{label}</label>
    </div>
  );
}

function TextInput({ label, value, onChange, placeholder, hint }: { label: string; value: string; onChange: (v: string) => void; placeholder?: string; hint?: string }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-[12.5px] font-medium text-muted">{label}</label>
      <input id={id} value={value} onChange={(e) => onChange(e.target.value)} placeholder={placeholder} className={inputClass} spellCheck={false} autoComplete="off" />
      {hint ? <p className="text-[12px] text-subtle">{hint}</p> : null}
    </div>
  );
}

function Either({ name, mode, onMode, a, b }: { name: string; mode: "column" | "fixed"; onMode: (m: "column" | "fixed") => void; a: string; b: string }) {
  const id = useId();
  return (
    <div role="radiogroup" aria-label={name} className="flex gap-3 text-[13px]">
      {(["column", "fixed"] as const).map((m) => (
        <div key={m} className="flex items-center gap-1.5">
          <input type="radio" id={`${id}-${m}`} name={`${id}-${name}`} checked={mode === m} onChange={() => onMode(m)} className="accent-[var(--accent)]" />
          <label htmlFor={`${id}-${m}`} className="text-fg">{m === "column" ? a : b}</label>
        </div>
      ))}
    </div>
  );
}
