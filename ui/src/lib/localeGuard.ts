// Imported first by main.tsx, before any module that formats at load time (uPlot builds a number format
// from navigator.language when it is imported). A session started with LANG=C reports the language "C",
// which is no language tag: every Intl constructor given it throws, and the window would stay blank.
// Such a system has no preference, so English it is.

function acceptedByIntl(tag: string): boolean {
  try {
    new Intl.NumberFormat(tag);
    return true;
  } catch {
    return false;
  }
}

/** The language to format in: the system's, or English when Intl rejects it. */
export function usableLanguage(tag: string | undefined): string {
  return tag && acceptedByIntl(tag) ? tag : "en-US";
}

if (typeof navigator !== "undefined" && usableLanguage(navigator.language) !== navigator.language) {
  const fallback = usableLanguage(navigator.language);
  Object.defineProperty(Navigator.prototype, "language", { configurable: true, get: () => fallback });
  Object.defineProperty(Navigator.prototype, "languages", { configurable: true, get: () => [fallback] });
}
