// Money, numbers and dates, always through Intl in the user's locale. Money arrives as integer minor units
// beside an ISO 4217 code; the fraction digits come from Intl (JPY 0, USD 2, KWD 3).

const digitsCache = new Map<string, number>();

/** The user's locale. Always one Intl accepts: main.tsx's first import, localeGuard.ts, replaces a
 * language Intl rejects (a session with `LANG=C` reports "C") before anything formats. */
export function userLocale(): string | undefined {
  return typeof navigator !== "undefined" ? navigator.language || undefined : undefined;
}

let ledgerExponents: Record<string, number | undefined> = {};

/** The ledger's ISO 4217 exponents (from `app_info`): the digits its minor units have. Browsers' Intl data
 * differs for a few currencies (HUF and IDR: 2 in ISO 4217, 0 in Intl), and a wrong digit count would
 * show 1,500.00 Ft as 150,000 Ft. */
export function setCurrencyExponents(exponents: Record<string, number | undefined>): void {
  ledgerExponents = exponents;
}

/** The number of fraction digits of a currency's minor unit: the ledger's, else Intl's. */
export function fractionDigits(currency: string): number {
  const code = currency.toUpperCase();
  const ledger = ledgerExponents[code];
  if (ledger !== undefined) return ledger;
  let digits = digitsCache.get(code);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat("en", { style: "currency", currency: code }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsCache.set(code, digits);
  }
  return digits;
}

/**
 * Minor units to an exact decimal string ("-1234.5" style, no grouping), by string arithmetic so nothing
 * is lost to floating point: 1999 USD → "19.99", 1500 JPY → "1500", 12345 KWD → "12.345".
 */
export function minorToDecimalString(minor: number | bigint, digits: number): string {
  const big = typeof minor === "bigint" ? minor : BigInt(Math.trunc(minor));
  const negative = big < 0n;
  const abs = (negative ? -big : big).toString();
  if (digits <= 0) return (negative ? "-" : "") + abs;
  const padded = abs.padStart(digits + 1, "0");
  const whole = padded.slice(0, padded.length - digits);
  const frac = padded.slice(padded.length - digits);
  return `${negative ? "-" : ""}${whole}.${frac}`;
}

type StringNumeric = `${number}` | "Infinity" | "-Infinity" | "+Infinity";

function formatDecimal(nf: Intl.NumberFormat, decimal: string, digits: number): string {
  // Intl.NumberFormat.format accepts exact decimal strings (ES2023); fall back to a number otherwise.
  const viaString = nf.format(decimal as StringNumeric);
  if (!viaString.includes("NaN")) return viaString;
  const n = Number(decimal);
  return nf.format(digits > 0 ? n : Math.trunc(n));
}

const nfCache = new Map<string, Intl.NumberFormat>();
function cachedNf(key: string, make: () => Intl.NumberFormat): Intl.NumberFormat {
  let nf = nfCache.get(key);
  if (!nf) {
    nf = make();
    nfCache.set(key, nf);
  }
  return nf;
}

export interface MoneyOptions {
  locale?: string;
  /** "+$12.00" for positive amounts too (changes, deltas). */
  signed?: boolean;
  /** Compact notation for axes ("$1.2K"); not exact, display only. */
  compact?: boolean;
}

/** Formats integer minor units of `currency` as money in the locale. */
export function formatMoney(minor: number, currency: string, options: MoneyOptions = {}): string {
  const code = currency.toUpperCase();
  const digits = fractionDigits(code);
  const locale = options.locale ?? userLocale();
  try {
    if (options.compact) {
      const nf = cachedNf(`${locale}|${code}|compact`, () =>
        new Intl.NumberFormat(locale, {
          style: "currency",
          currency: code,
          notation: "compact",
          maximumFractionDigits: 1,
        }),
      );
      return nf.format(minor / 10 ** digits);
    }
    const nf = cachedNf(`${locale}|${code}|${options.signed ? "s" : ""}`, () =>
      new Intl.NumberFormat(locale, {
        style: "currency",
        currency: code,
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
        signDisplay: options.signed ? "exceptZero" : "auto",
      }),
    );
    return formatDecimal(nf, minorToDecimalString(minor, digits), digits);
  } catch {
    return `${minorToDecimalString(minor, digits)} ${code}`;
  }
}

export function formatCount(n: number, locale = userLocale()): string {
  return cachedNf(`${locale}|count`, () => new Intl.NumberFormat(locale)).format(n);
}

/** Relative change as a percentage string ("+12.4%"), or null when there is nothing to compare with. */
export function percentChange(current: number, previous: number | undefined, locale = userLocale()): string | null {
  if (previous === undefined || previous === 0) return null;
  const ratio = (current - previous) / Math.abs(previous);
  return cachedNf(`${locale}|pct`, () =>
    new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1, signDisplay: "exceptZero" }),
  ).format(ratio);
}

export function formatBytes(bytes: number, locale = userLocale()): string {
  const units = ["byte", "kilobyte", "megabyte", "gigabyte"] as const;
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  const unit = units[i] ?? "byte";
  return cachedNf(`${locale}|bytes|${unit}`, () =>
    // Bytes in full ("418 bytes", "1 byte": the short form reads "418 byte"); larger units short ("1.2 kB").
    new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: i === 0 ? "long" : "short", maximumFractionDigits: i === 0 ? 0 : 1 }),
  ).format(value);
}

/** "YYYY-MM-DD" (a UTC day) to a Date at UTC midnight. */
export function parseDay(day: string): Date {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
}

export function toDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

// Intl formatters are costly to make (a batch history of thousands of rows, a chart hover): one per
// locale and options.
const dtfCache = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ""}|${JSON.stringify(options)}`;
  let format = dtfCache.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    dtfCache.set(key, format);
  }
  return format;
}
const rtfCache = new Map<string, Intl.RelativeTimeFormat>();
function relativeFormat(locale: string | undefined): Intl.RelativeTimeFormat {
  const key = locale ?? "";
  let format = rtfCache.get(key);
  if (!format) {
    format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
    rtfCache.set(key, format);
  }
  return format;
}

export function formatDay(day: string, locale = userLocale(), style: "medium" | "short" = "medium"): string {
  const opts: Intl.DateTimeFormatOptions =
    style === "short"
      ? { month: "short", day: "numeric", timeZone: "UTC" }
      : { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" };
  return dateFormat(locale, opts).format(parseDay(day));
}

/** "YYYY-MM" to "March 2026". */
/** "Mar 2 – 31, 2026", "Dec 28, 2025 – Jan 3, 2026", or one day: the locale's own way to write a range. */
export function formatDayRange(first: string, last: string, locale = userLocale()): string {
  if (first === last) return formatDay(first, locale);
  const f = dateFormat(locale, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
  return f.formatRange(parseDay(first), parseDay(last));
}

export function formatMonth(month: string, locale = userLocale(), short = false): string {
  return dateFormat(locale, {
    year: "numeric",
    month: short ? "short" : "long",
    timeZone: "UTC",
  }).format(parseDay(`${month}-01`));
}

export function formatInstant(instant: string, locale = userLocale()): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  return dateFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(date);
}

/** "3 minutes ago" style, for recent instants; the absolute date beyond a week. */
export function formatRelative(instant: string, now = Date.now(), locale = userLocale()): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  const seconds = Math.round((date.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  const rtf = relativeFormat(locale);
  if (abs < 45) return rtf.format(0, "second");
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), "minute");
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), "hour");
  if (abs < 7 * 86400) return rtf.format(Math.round(seconds / 86400), "day");
  return formatInstant(instant, locale);
}

// One DisplayNames per locale and type: each construction loads ICU's data again (a country list of
// eight rows made eight of them on the dashboard's first draw).
const dnCache = new Map<string, Intl.DisplayNames>();
function displayNames(locale: string | undefined, type: "region" | "currency"): Intl.DisplayNames {
  const key = `${locale ?? ""}|${type}`;
  let names = dnCache.get(key);
  if (!names) {
    names = new Intl.DisplayNames(locale ? [locale] : undefined, { type });
    dnCache.set(key, names);
  }
  return names;
}

export function countryName(code: string, locale = userLocale()): string {
  if (!code) return "Unknown";
  try {
    return displayNames(locale, "region").of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

export function currencyName(code: string, locale = userLocale()): string {
  try {
    return displayNames(locale, "currency").of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}
