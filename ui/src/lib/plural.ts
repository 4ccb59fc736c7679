// "1 event", "2 events": the window's words are English, so their forms follow English plural rules
// (Intl.PluralRules), whatever the locale the numbers are written in.
const rules = new Intl.PluralRules("en");

export function plural(count: number, one: string, other: string): string {
  return rules.select(count) === "one" ? one : other;
}

/** "1 event", "1,204 events", the number written by `format`. */
export function countOf(count: number, one: string, other: string, format: (n: number) => string = String): string {
  return `${format(count)} ${plural(count, one, other)}`;
}
