// What the UI knows about platforms: display names, monograms, chart colour slots and what they sync.

export interface PlatformMeta {
  slug: string;
  name: string;
  monogram: string;
  syncs: string;
  /** KDP has no API: files only. */
  filesOnly?: boolean;
}

export const PLATFORMS: PlatformMeta[] = [
  { slug: "kdp", name: "Amazon KDP", monogram: "K", syncs: "Royalties, units and KENP pages from KDP reports", filesOnly: true },
  { slug: "stripe", name: "Stripe", monogram: "S", syncs: "Payments, refunds, fees and disputes" },
  { slug: "gumroad", name: "Gumroad", monogram: "G", syncs: "Sales, refunds and product names" },
  { slug: "lemonsqueezy", name: "Lemon Squeezy", monogram: "L", syncs: "Orders, refunds and subscriptions" },
  { slug: "whop", name: "Whop", monogram: "W", syncs: "Memberships and payments" },
  { slug: "patreon", name: "Patreon", monogram: "P", syncs: "Pledges and member payments" },
  { slug: "whatnot", name: "Whatnot", monogram: "Wn", syncs: "Live sales, fees and payouts" },
  { slug: "etsy", name: "Etsy", monogram: "E", syncs: "Orders, fees and refunds" },
  { slug: "shopify", name: "Shopify", monogram: "Sh", syncs: "Orders, refunds and products" },
];

const bySlug = new Map(PLATFORMS.map((p) => [p.slug, p]));

export function platformName(slug: string | null | undefined): string {
  if (!slug) return "Unknown";
  return bySlug.get(slug)?.name ?? slug.charAt(0).toUpperCase() + slug.slice(1);
}

const FIXED_SLOTS: Record<string, number> = { kdp: 1, stripe: 2, gumroad: 3, lemonsqueezy: 4, whatnot: 5, patreon: 6, whop: 7, etsy: 9, shopify: 10 };
/** Slots no known platform has, handed to other platforms (a saved mapping's own) as they appear. */
const FREE_SLOTS = [8, 11, 12];
const assigned = new Map<string, number>();

/** A colour slot (1..12) per platform: fixed for the known ones, so that a platform keeps its colour
 * everywhere; the free slots for others in order of appearance, then a hash. */
export function platformColorSlot(slug: string): number {
  const known = FIXED_SLOTS[slug] ?? assigned.get(slug);
  if (known) return known;
  const free = FREE_SLOTS[assigned.size];
  if (free !== undefined) {
    assigned.set(slug, free);
    return free;
  }
  let h = 0;
  for (const c of slug) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return (h % 12) + 1;
}

export function platformColorVar(slug: string): string {
  return `--chart-${platformColorSlot(slug)}`;
}
