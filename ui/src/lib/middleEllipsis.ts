// Long file names shortened in the middle, where report names differ least ("KDP_Prior_Month_Royal…
// -2026-03-01.xlsx" keeps the month), the whole name left to the title on hover.
export function middleEllipsis(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const tail = Math.ceil((max - 1) * 0.45);
  const head = max - 1 - tail;
  return `${chars.slice(0, head).join("")}…${chars.slice(chars.length - tail).join("")}`;
}
