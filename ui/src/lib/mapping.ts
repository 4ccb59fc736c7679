// Building a MappingDraft from a CSV sample: first guesses from the header, and what a draft needs
// before it can be previewed or saved.
import type { CsvSample, MappingDraft } from "../bindings";

function find(headers: string[], ...patterns: RegExp[]): string | null {
  for (const re of patterns) {
    const h = headers.find((x) => re.test(x));
    if (h) return h;
  }
  return null;
}

export function slugify(s: string): string {
  return s.toLowerCase().replace(/\.[a-z0-9]+$/, "").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "my-mapping";
}

export function guessDraft(sample: CsvSample, fileName: string): MappingDraft {
  const h = sample.headers;
  const name = slugify(fileName);
  const fee = h.filter((x) => /fee|commission|geb(ü|ue)hr|provision/i.test(x));
  const currency = find(h, /^currency$/i, /currency|curr\b|ccy|w(ä|ae)hrung|devise|moneda/i);
  const id = find(h, /^(id|order id|transaction id|order number|order)$/i, /(order|transaction|payment|charge|sale).*(id|number|no)/i, /\bid\b/i, /referen|reference|\bref\b|beleg/i);
  return {
    name,
    title: null,
    platform: name.split("-")[0] || "other",
    date_column: find(h, /^date$/i, /date|time|created|paid|datum|buchungstag|fecha/i) ?? h[0] ?? "",
    date_order: null,
    gross: find(h, /^gross$/i, /gross|amount|total|price|sale|betrag|brutto|umsatz|importe/i),
    net: find(h, /^net$/i, /\bnet\b|payout|earnings|netto/i),
    fees: fee,
    currency_column: currency,
    // No guess: a file without a currency column must be told its currency, not read as dollars.
    currency_fixed: null,
    id_column: id,
    id_derive: [],
    product_name: find(h, /product|item|title|artikel|produkt|verwendungszweck|description|name/i),
    product_id: find(h, /(product|item|sku).*(id|code)|^sku$/i),
    quantity: find(h, /qty|quantity|units|menge|anzahl/i),
    buyer_email: find(h, /e-?mail/i),
    country: find(h, /country|^land$|pays/i),
    decimal_mark: null,
    minor_units: false,
    refund_column: null,
    refund_values: [],
    refund_when_negative: false,
  };
}

/** What is still missing before the draft can be read; empty when it can be previewed. */
export function draftProblems(d: MappingDraft): string[] {
  const problems: string[] = [];
  if (!d.date_column) problems.push("Pick the date column.");
  if (!d.gross && !d.net) problems.push("Pick a gross or a net amount column.");
  if (!d.currency_column && !/^[A-Za-z]{3}$/.test(d.currency_fixed ?? "")) problems.push("Pick the currency column, or type a currency code (USD, EUR…).");
  if (!d.id_column && d.id_derive.length === 0) problems.push("Pick an id column, or columns to derive an id from.");
  if (d.refund_column && !d.refund_values.some((v) => v.trim())) problems.push("Type the values of the refund column that mean a refund.");
  return problems;
}

export function saveProblems(d: MappingDraft): string[] {
  const problems = draftProblems(d);
  if (!/^[A-Za-z0-9_-]+$/.test(d.name)) problems.push("The name may use letters, digits, - and _ only.");
  if (!/^[a-z0-9_-]+$/.test(d.platform)) problems.push("The platform is a lowercase slug: letters, digits, - and _.");
  return problems;
}
