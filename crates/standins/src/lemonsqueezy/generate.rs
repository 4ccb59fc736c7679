//! Made-up Lemon Squeezy orders, the same for the same seed: mostly USD, some EUR and GBP with 20%
//! VAT on top, some JPY; some discounted; about 5% refunded in full and 3% in part; 3% failed and 1%
//! pending (no money moved); spread over a period at whole seconds, numbered in date order.

use chrono::{DateTime, Utc};

use super::order::{Payment, StandInOrder};
use crate::money;
use crate::rng::SplitMix64;

const PRODUCTS: [(&str, i64); 4] = [
    ("Test Limited License for 2 years", 999),
    ("Icon Set Pro", 1900),
    ("Founder's Course", 9900),
    ("Desktop Wallpapers", 500),
];

const CURRENCIES: [(&str, u64); 4] = [("USD", 750), ("EUR", 120), ("GBP", 80), ("JPY", 50)];

/// Generated ids and order numbers start here.
pub(crate) const FIRST_ID: u64 = 1_000_001;
pub(crate) const FIRST_ORDER_NUMBER: u64 = 1_001;

pub fn generate_orders(
    n: usize,
    seed: u64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<StandInOrder> {
    let mut rng = SplitMix64::new(seed);
    let (from, to) = if to < from { (to, from) } else { (from, to) };
    let start = from.timestamp();
    let span = u64::try_from(to.timestamp() - start).unwrap_or(0);
    let mut orders: Vec<StandInOrder> = (0..n)
        .map(|i| {
            let secs = i64::try_from(rng.below(span + 1)).unwrap_or(0);
            let at = DateTime::from_timestamp(start + secs, 0).unwrap_or(from);
            one_order(&mut rng, at, i)
        })
        .collect();
    orders.sort_by_key(|o| o.created_at);
    for (i, order) in orders.iter_mut().enumerate() {
        order.id = FIRST_ID + i as u64;
        order.order_number = FIRST_ORDER_NUMBER + i as u64;
    }
    orders
}

fn one_order(rng: &mut SplitMix64, at: DateTime<Utc>, i: usize) -> StandInOrder {
    let product = rng.below(PRODUCTS.len() as u64) as usize;
    let (name, usd_cents) = PRODUCTS[product];
    let code = CURRENCIES[rng.weighted(&CURRENCIES.map(|c| c.1))].0;
    let subtotal = money::usd_to_display(usd_cents, &money::currency(code));
    let mut order = StandInOrder::new(at, name, subtotal)
        .in_currency(code)
        .email(&format!("customer{}@example.com", i + 1));
    order.user_name = format!("Customer {}", i + 1);
    order.customer_id = 500 + rng.below(1 + n_customers(i));
    order.product_id = 100 + product as u64;
    order.variant_id = 200 + product as u64;
    if rng.chance(100) {
        order = order.discounted(money::mul_div_round(subtotal, 20, 100));
    }
    if matches!(code, "EUR" | "GBP") {
        order = order.taxed("VAT", 2000);
    }
    match rng.weighted(&[880, 50, 30, 30, 10]) {
        1 => {
            let total = order.total();
            order = order.refunded_by(total);
        }
        2 => {
            let part = money::mul_div_round(order.total(), 10 + rng.below(81) as i64, 100).max(1);
            order = order.refunded_by(part);
        }
        3 => order = order.payment(Payment::Failed),
        4 => order = order.payment(Payment::Pending),
        _ => {}
    }
    order
}

/// Some customers come back: ids are drawn from a pool that grows with the orders.
fn n_customers(i: usize) -> u64 {
    (i as u64 / 2).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_same_seed_gives_the_same_mix_of_orders() {
        let (from, to) = (
            Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2024, 12, 31, 0, 0, 0).unwrap(),
        );
        let a = generate_orders(1500, 3, from, to);
        assert_eq!(a, generate_orders(1500, 3, from, to));
        assert!(a
            .windows(2)
            .all(|w| w[0].created_at <= w[1].created_at && w[0].id < w[1].id));
        for code in ["USD", "EUR", "GBP", "JPY"] {
            assert!(a.iter().any(|o| o.currency == code), "{code}");
        }
        for status in ["paid", "refunded", "partial_refund", "failed", "pending"] {
            assert!(a.iter().any(|o| o.status() == status), "{status}");
        }
        assert!(a.iter().any(|o| o.discount_total > 0));
        assert!(a.iter().filter(|o| o.currency == "EUR").all(|o| o.tax > 0));
    }
}
