// The dry run of one file: how it was read, the five counts, what would be added per currency, warnings
// and the rejected rows (line, column, reason).
import type { FileImport } from "../bindings";
import { replacesSentence } from "../lib/estimates";
import { formatCount } from "../lib/format";
import { shortTitle, useFormatTitle } from "../lib/formatTitles";
import { FigureChanges } from "./FigureChanges";
import { Badge, cx } from "./ui";

function Count({ id, label, value, tone, hint }: { id: string; label: string; value: number; tone?: "negative" | "accent"; hint: string }) {
  return (
    <div data-testid={`preview-count-${id}`} data-value={String(value)} className="rounded-lg border border-line bg-surface px-3 py-2.5" title={hint}>
      <p className="text-[12px] font-medium text-subtle">{label}</p>
      <p className={cx("mt-0.5 text-xl font-semibold tabular", value > 0 && tone === "negative" ? "text-negative" : value > 0 && tone === "accent" ? "text-accent-text" : "text-fg")}>
        {formatCount(value)}
      </p>
    </div>
  );
}

function ReadingItem({ label, value }: { label: string; value: string | null | undefined }) {
  return (
    <div className="min-w-0">
      <dt className="text-[12px] text-subtle">{label}</dt>
      <dd className="truncate text-[13px] font-medium text-fg" title={value ?? undefined}>{value || "—"}</dd>
    </div>
  );
}

const DELIMITERS: Record<string, string> = { ",": "Comma (,)", ";": "Semicolon (;)", "\t": "Tab", "|": "Pipe (|)" };

export function PreviewBody({ data }: { data: FileImport }) {
  const formatTitle = useFormatTitle();
  const reading = data.reading ?? { encoding: null, delimiter: null, decimal_mark: null, date_format: null, sheets: [] };
  const errors = data.errors ?? [];
  const warnings = data.warnings ?? [];
  const wouldAdd = data.would_add ?? [];
  const replaces = replacesSentence(data.replaces ?? [], data.dry_run);
  return (
    <div className="flex flex-col gap-5 p-5">
      <dl className="grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-4 xl:grid-cols-7">
        <div className="col-span-2 min-w-0">
          <dt className="text-[12px] text-subtle">Format</dt>
          <dd className="mt-0.5 leading-5" title={formatTitle(data.format)}>
            <span data-testid="preview-format" data-format={data.format} className="rounded bg-accent-soft px-1.5 py-0.5 text-[12.5px] font-medium text-accent-text [box-decoration-break:clone]">{shortTitle(formatTitle(data.format))}</span>
          </dd>
        </div>
        <ReadingItem label="Encoding" value={reading.encoding} />
        <ReadingItem label="Delimiter" value={reading.delimiter ? (DELIMITERS[reading.delimiter] ?? reading.delimiter) : null} />
        <ReadingItem label="Decimal mark" value={reading.decimal_mark === "comma" ? "Comma (1.234,56)" : reading.decimal_mark === "point" ? "Point (1,234.56)" : null} />
        <ReadingItem label="Date format" value={reading.date_format} />
        <ReadingItem label="Rows read" value={formatCount(data.rows_read)} />
      </dl>
      {(reading.sheets ?? []).length > 0 ? (
        <div className="-mt-2 flex flex-wrap items-center gap-1.5 text-[12px] text-subtle">
          Sheets: {(reading.sheets ?? []).map((s) => <Badge key={s}>{s}</Badge>)}
        </div>
      ) : null}

      <div className="grid grid-cols-2 gap-3 sm:grid-cols-5">
        <Count id="new" label="New" value={data.inserted} tone="accent" hint="Events not in the ledger yet" />
        <Count id="updated" label="Updated" value={data.updated} hint="Events already there that this file changes" />
        <Count id="duplicates" label="Duplicates" value={data.duplicates} hint="Events already in the ledger, left as they are" />
        <Count id="rejected" label="Rejected" value={data.rejected} tone="negative" hint="Rows that could not be read; listed below" />
        <Count id="skipped" label="Skipped" value={data.skipped} hint="Rows the format leaves out on purpose (totals, payouts…)" />
      </div>

      {replaces ? (
        <p className="-mt-1 rounded-lg border border-accent/25 bg-accent-soft px-3 py-2 text-[13px] text-fg" data-testid="preview-replaces">
          <span className="font-semibold">Final figures.</span> {replaces} The figures below are the difference it makes.
        </p>
      ) : null}
      <div>
          <h3 className="text-[13px] font-semibold text-fg">Will be added <span className="font-normal text-subtle">· what the ledger's figures change by</span></h3>
          {wouldAdd.length === 0 ? (
            <p className="mt-1 text-[13px] text-subtle">Nothing new to add to the ledger.</p>
          ) : (
            <div className="mt-1.5"><FigureChanges changes={wouldAdd} testId="preview-would-add" /></div>
          )}
      </div>
      <div className="grid gap-5 lg:grid-cols-[minmax(0,1fr)_minmax(0,1.4fr)]">
        <div>
          {warnings.length === 0 ? <p className="text-[13px] text-subtle"><span className="font-semibold text-fg">Warnings</span> · none</p> : null}
          {warnings.length > 0 ? (
            <div>
              <h3 className="text-[13px] font-semibold text-fg">Warnings</h3>
              <ul className="mt-1 flex flex-col gap-1" data-testid="preview-warnings">
                {warnings.map((w, i) => (
                  <li key={i} className="flex gap-2 rounded-md bg-warning-soft px-2.5 py-1.5 text-[13px] text-fg">
                    <span className="font-semibold text-warning">Warning</span> {w}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
        <div>
          <h3 className="text-[13px] font-semibold text-fg">
            Rejected rows {errors.length > 0 ? <span className="font-normal text-subtle">({formatCount(data.rejected)}{errors.length < data.rejected ? `, first ${errors.length} shown` : ""})</span> : null}
          </h3>
          {errors.length === 0 ? (
            <p className="mt-1 text-[13px] text-subtle">{data.rejected === 0 ? "None — every row was read." : "Not listed."}</p>
          ) : (
            <div className="mt-1.5 max-h-[220px] overflow-auto rounded-lg border border-line">
              <table className="w-full text-[13px]" data-testid="preview-errors">
                <thead className="sticky top-0 bg-surface-2">
                  <tr className="text-left text-[12px] text-subtle">
                    <th scope="col" className="px-3 py-1.5 font-medium">Line</th>
                    <th scope="col" className="px-3 py-1.5 font-medium">Column</th>
                    <th scope="col" className="px-3 py-1.5 font-medium">Reason</th>
                  </tr>
                </thead>
                <tbody>
                  {errors.map((e, i) => (
                    <tr key={i} className="border-t border-line align-top" data-testid="preview-error-row">
                      <td className="px-3 py-1.5 text-muted tabular">{e.line ?? "—"}</td>
                      <td className="px-3 py-1.5 font-mono text-[12px] text-fg">{e.column ?? "—"}</td>
                      <td className="px-3 py-1.5 text-fg">{e.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      </div>
    </div>
  );
}

