import { afterEach, describe, expect, it, vi } from "vitest";
import { usableLanguage } from "./localeGuard";
import { formatMoney, fractionDigits, minorToDecimalString, percentChange, setCurrencyExponents, userLocale } from "./format";

const nbsp = (s: string) => s.replace(/\u00a0/g, " ");

describe("money from minor units", () => {
  it("formats USD with two decimals", () => {
    expect(formatMoney(1999, "USD", { locale: "en-US" })).toBe("$19.99");
    expect(formatMoney(123456789, "USD", { locale: "en-US" })).toBe("$1,234,567.89");
  });
  it("formats JPY with no decimals", () => {
    expect(fractionDigits("JPY")).toBe(0);
    expect(formatMoney(1500, "JPY", { locale: "en-US" })).toBe("¥1,500");
    expect(formatMoney(1500, "JPY", { locale: "ja-JP" })).toMatch(/1,500/);
  });
  it("formats KWD with three decimals", () => {
    expect(fractionDigits("KWD")).toBe(3);
    expect(nbsp(formatMoney(12345, "KWD", { locale: "en-US" }))).toBe("KWD 12.345");
  });
  it("shows negative refunds with their sign", () => {
    expect(formatMoney(-1250, "USD", { locale: "en-US" })).toBe("-$12.50");
    expect(formatMoney(-5, "EUR", { locale: "de-DE" })).toMatch(/^-0,05\s€$/);
  });
  it("is exact for large amounts (no floating point drift)", () => {
    expect(formatMoney(900719925474099, "USD", { locale: "en-US" })).toBe("$9,007,199,254,740.99");
    expect(formatMoney(10, "USD", { locale: "en-US" })).toBe("$0.10");
  });
  it("signs deltas when asked", () => {
    expect(formatMoney(500, "USD", { locale: "en-US", signed: true })).toBe("+$5.00");
  });
  it("converts minor units by string arithmetic", () => {
    expect(minorToDecimalString(5, 2)).toBe("0.05");
    expect(minorToDecimalString(-5, 2)).toBe("-0.05");
    expect(minorToDecimalString(12345, 3)).toBe("12.345");
    expect(minorToDecimalString(1500, 0)).toBe("1500");
  });
  it("computes change against the previous period", () => {
    expect(percentChange(110, 100, "en-US")).toBe("+10%");
    expect(percentChange(90, 100, "en-US")).toBe("-10%");
    expect(percentChange(5, 0, "en-US")).toBeNull();
    expect(percentChange(5, undefined, "en-US")).toBeNull();
  });
});

describe("the user's locale", () => {
  afterEach(() => vi.unstubAllGlobals());
  it("is English when the system's is not a language tag Intl takes (LANG=C)", () => {
    expect(usableLanguage("C")).toBe("en-US");
    expect(usableLanguage(undefined)).toBe("en-US");
    expect(formatMoney(1999, "USD", { locale: usableLanguage("C") })).toBe("$19.99");
  });
  it("keeps a real one", () => {
    expect(usableLanguage("de-DE")).toBe("de-DE");
    vi.stubGlobal("navigator", { language: "de-DE" });
    expect(userLocale()).toBe("de-DE");
  });
});

describe("the ledger's exponents win over Intl's", () => {
  afterEach(() => setCurrencyExponents({}));
  it("formats HUF minor units with the two ISO 4217 digits the ledger counts", () => {
    setCurrencyExponents({ HUF: 2, IQD: 3 });
    expect(fractionDigits("HUF")).toBe(2);
    expect(formatMoney(150000, "HUF", { locale: "en-US" })).toMatch(/1,500\.00/);
    expect(fractionDigits("IQD")).toBe(3);
  });
});

describe("day ranges", () => {
  it("are written the locale's way, one day as a day", async () => {
    const { formatDayRange: raw } = await import("./format");
    // ICU puts thin spaces around the dash.
    const formatDayRange = (a: string, b: string, l: string) => raw(a, b, l).replace(/[\u2009\u202f\u00a0]/g, " ");
    expect(formatDayRange("2026-03-02", "2026-03-31", "en-US")).toBe("Mar 2 – 31, 2026");
    expect(formatDayRange("2025-12-28", "2026-01-03", "en-US")).toBe("Dec 28, 2025 – Jan 3, 2026");
    expect(formatDayRange("2026-11-01", "2026-11-01", "en-US")).toBe("Nov 1, 2026");
  });
});

describe("sizes", () => {
  it("say bytes in full and larger units short", async () => {
    const { formatBytes } = await import("./format");
    expect(formatBytes(418, "en-US")).toBe("418 bytes");
    expect(formatBytes(1, "en-US")).toBe("1 byte");
    expect(formatBytes(1250, "en-US")).toBe("1.2 kB");
  });
});
