//! Made-up sales for tests and the benchmark, the same for the same seed: mostly USD, some shown in
//! EUR, GBP or JPY (their `price` still in USD cents), some refunded in full or in part, some
//! charged back, some disputed and won, quantities 1 to 3, a handful of products, spread over a
//! period at whole seconds.

use chrono::{DateTime, Duration, Utc};

use super::ids;
use super::sale::{default_fee, StandInSale};
use crate::money;
use crate::rng::SplitMix64;

/// Products and their unit prices in USD cents.
const PRODUCTS: [(&str, i64); 6] = [
    ("Pencil Icon PSD", 1000),
    ("Watercolor Brush Pack", 1500),
    ("Notion Budget Template", 900),
    ("Lightroom Presets Vol. 2", 2400),
    ("The Indie Maker's Handbook (ebook)", 2900),
    ("Procreate Basics (video course)", 4900),
];

/// Display currencies and how often they appear (per thousand).
const CURRENCIES: [(&str, u64); 4] = [("usd", 700), ("eur", 120), ("gbp", 100), ("jpy", 80)];

/// The gap between consecutive internal numbers, so that sales added later between two
/// generated ones can get a number in between (see `store.rs`).
pub(crate) const NUMBER_STEP: u64 = 1024;
/// Generated numbers start here (Gumroad's ids are large; ours need not be).
pub(crate) const FIRST_NUMBER: u64 = 100_000 * NUMBER_STEP;

/// `n` sales with `created_at` in `[from, to]` (both ends included, whole seconds), numbered in
/// `created_at` order. States (each sale at most one): about 6% refunded in full, 5% refunded in
/// part, 2% charged back, 2% disputed and won; 5% came through Discover (30% fee).
pub fn generate_sales(
    n: usize,
    seed: u64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<StandInSale> {
    let mut rng = SplitMix64::new(seed);
    let (from, to) = if to < from { (to, from) } else { (from, to) };
    let start = from.timestamp();
    let span = u64::try_from(to.timestamp() - start).unwrap_or(0);

    let mut sales: Vec<StandInSale> = (0..n)
        .map(|i| {
            let secs = i64::try_from(rng.below(span + 1)).unwrap_or(0);
            let created_at = DateTime::from_timestamp(start + secs, 0).unwrap_or(from);
            one_sale(&mut rng, created_at, i)
        })
        .collect();
    sales.sort_by_key(|s| s.created_at);
    for (i, sale) in sales.iter_mut().enumerate() {
        sale.number = FIRST_NUMBER + i as u64 * NUMBER_STEP;
        sale.id = ids::external_id(sale.number);
    }
    sales
}

fn one_sale(rng: &mut SplitMix64, created_at: DateTime<Utc>, i: usize) -> StandInSale {
    let (product, unit_cents) = PRODUCTS[rng.below(PRODUCTS.len() as u64) as usize];
    let quantity = [1u32, 2, 3][rng.weighted(&[850, 110, 40])];
    let price_cents = unit_cents * i64::from(quantity);
    let code = CURRENCIES[rng.weighted(&CURRENCIES.map(|c| c.1))].0;
    let display = money::usd_to_display(price_cents, &money::currency(code));
    let discover = rng.chance(50);

    let mut sale = StandInSale::new(created_at, product, price_cents)
        .in_currency(code, display)
        .quantity(quantity)
        .email(&format!("buyer{}@example.com", i + 1))
        .fee(default_fee(price_cents, discover));
    sale.discover_fee_charged = discover;
    if discover {
        sale.referrer = "Gumroad Discover".into();
    }
    if rng.chance(500) {
        sale.full_name = Some(format!("Buyer {}", i + 1));
    }
    match rng.weighted(&[850, 60, 50, 20, 20]) {
        1 => sale = sale.refunded_by(price_cents),
        2 => {
            // Between 10% and 90% of the price, in whole cents.
            let part = 10 + rng.below(81) as i64;
            sale = sale.refunded_by(money::mul_div_round(price_cents, part, 100).max(1));
        }
        3 => sale = sale.chargedback(),
        4 => sale = sale.dispute_won(),
        _ => {}
    }
    sale
}

/// The default period of the binary: the 365 days up to now, at whole seconds.
pub fn last_year() -> (DateTime<Utc>, DateTime<Utc>) {
    let now = Utc::now();
    let to = DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now);
    (to - Duration::days(365), to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn period() -> (DateTime<Utc>, DateTime<Utc>) {
        (
            Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2024, 12, 31, 23, 59, 59).unwrap(),
        )
    }

    #[test]
    fn the_same_seed_gives_the_same_sales_and_every_kind_appears() {
        let (from, to) = period();
        let a = generate_sales(2000, 42, from, to);
        assert_eq!(a, generate_sales(2000, 42, from, to));
        assert_ne!(a, generate_sales(2000, 43, from, to));
        assert!(a
            .windows(2)
            .all(|w| w[0].created_at <= w[1].created_at && w[0].number < w[1].number));
        assert!(a.iter().all(|s| s.created_at >= from && s.created_at <= to));
        assert!(a.iter().all(|s| s.created_at.timestamp_subsec_nanos() == 0));
        for code in ["usd", "eur", "gbp", "jpy"] {
            assert!(a.iter().any(|s| s.currency == code), "{code}");
        }
        assert!(a.iter().any(StandInSale::is_refunded));
        assert!(a
            .iter()
            .any(|s| s.is_partially_refunded() && s.currency == "usd"));
        assert!(a
            .iter()
            .any(|s| s.is_partially_refunded() && s.currency != "usd"));
        assert!(a.iter().any(StandInSale::is_chargedback));
        assert!(a.iter().any(|s| s.dispute_won));
        assert!(a.iter().any(|s| s.quantity == 3));
        let ids: std::collections::HashSet<_> = a.iter().map(|s| &s.id).collect();
        assert_eq!(ids.len(), a.len());
    }
}
