//! Made-up Whop payments, the same for the same seed: mostly USD, some EUR and GBP with 20% VAT on
//! top, some JPY (no decimals); one-time purchases and membership renewals; about 5% refunded in
//! full and 3% in part; about 6% that moved no money (open, pending, void, uncollectible, draft,
//! unresolved); spread over a period at millisecond instants, ids given in date order.

use chrono::{DateTime, Duration, Utc};

use super::payment::{DisputeOutcome, StandInPayment, Status};
use super::store::payment_id;
use crate::money;
use crate::rng::SplitMix64;

/// Products with their price in US cents and plan.
const PRODUCTS: [(&str, &str, &str, i64); 4] = [
    (
        "Trading Course",
        "prod_AbC123dEf456Gh",
        "plan_Xy12Za34Bc56De",
        4999,
    ),
    (
        "Alpha Signals Membership",
        "prod_Sg7Hj8Kl9Mn0Pq",
        "plan_Mm90Nn81Oo72Pp",
        2900,
    ),
    (
        "Reselling Masterclass",
        "prod_Rs1Tu2Vw3Xy4Za",
        "plan_Qq63Rr54Ss45Tt",
        19_900,
    ),
    (
        "Discord Access",
        "prod_Dc5Ef6Gh7Ij8Kl",
        "plan_Uu36Vv27Ww18Xx",
        999,
    ),
];

const CURRENCIES: [(&str, u64); 4] = [("usd", 760), ("eur", 110), ("gbp", 80), ("jpy", 50)];

const NO_MONEY: [Status; 6] = [
    Status::Open,
    Status::Pending,
    Status::Void,
    Status::Uncollectible,
    Status::Draft,
    Status::Unresolved,
];

const BRANDS: [&str; 4] = ["visa", "mastercard", "amex", "discover"];

/// `n` payments between `from` and `to`, oldest first.
pub fn generate_payments(
    n: usize,
    seed: u64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<StandInPayment> {
    let mut rng = SplitMix64::new(seed);
    let (from, to) = if to < from { (to, from) } else { (from, to) };
    let start = from.timestamp_millis();
    let span = u64::try_from(to.timestamp_millis() - start).unwrap_or(0);
    let mut payments: Vec<StandInPayment> = (0..n)
        .map(|i| {
            let ms = i64::try_from(rng.below(span + 1)).unwrap_or(0);
            let at = DateTime::from_timestamp_millis(start + ms).unwrap_or(from);
            one_payment(&mut rng, at, i)
        })
        .collect();
    payments.sort_by_key(|p| p.created_at);
    for (i, p) in payments.iter_mut().enumerate() {
        p.id = payment_id(1_000_000 + i as u64);
    }
    payments
}

fn one_payment(rng: &mut SplitMix64, at: DateTime<Utc>, i: usize) -> StandInPayment {
    let (title, product_id, plan_id, usd_cents) =
        PRODUCTS[rng.below(PRODUCTS.len() as u64) as usize];
    let code = CURRENCIES[rng.weighted(&CURRENCIES.map(|c| c.1))].0;
    let subtotal = money::usd_to_display(usd_cents, &money::currency(code));
    let mut p = StandInPayment::new(at, title, subtotal).in_currency(code);
    p.product_id = product_id.into();
    p.plan_id = plan_id.into();
    let member = 1 + rng.below((i as u64 / 2).max(1) + 1);
    p.user_id = format!("user_{:014}", 7_000_000 + member);
    p.user_name = format!("Member {member}");
    p.username = format!("member{member}");
    p.user_email = format!("member{member}@example.com");
    p.card_brand = BRANDS[rng.below(BRANDS.len() as u64) as usize].into();
    p.card_last4 = format!("{:04}", rng.below(10_000));
    p.billing_reason = match (title, rng.below(3)) {
        ("Alpha Signals Membership" | "Discord Access", 0) => "subscription_create",
        ("Alpha Signals Membership" | "Discord Access", _) => "subscription_cycle",
        _ => "one_time",
    }
    .into();
    // Paid a moment after the checkout began.
    let paid = at + Duration::milliseconds(300 + rng.below(4_000) as i64);
    p.paid_at = Some(paid);
    p.updated_at = paid;
    if matches!(code, "eur" | "gbp") {
        p = p.taxed(2000);
    }
    match rng.weighted(&[850, 50, 30, 60, 10]) {
        1 => {
            let total = p.total();
            p = p.refunded_by(total);
        }
        2 => {
            let part = money::mul_div_round(p.total(), 10 + rng.below(81) as i64, 100).max(1);
            p = p.refunded_by(part);
        }
        3 => p = p.status(NO_MONEY[rng.below(NO_MONEY.len() as u64) as usize]),
        4 => {
            let outcome = match rng.below(4) {
                0 => DisputeOutcome::Won,
                1 => DisputeOutcome::NeedsResponse,
                _ => DisputeOutcome::Lost,
            };
            p = p.disputed(outcome, 3 + rng.below(20) as i64);
        }
        _ => {}
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_same_seed_gives_the_same_mix_of_payments() {
        let (from, to) = (
            Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2025, 12, 31, 0, 0, 0).unwrap(),
        );
        let a = generate_payments(1500, 3, from, to);
        assert_eq!(a, generate_payments(1500, 3, from, to));
        assert!(a.windows(2).all(|w| w[0].created_at <= w[1].created_at));
        let ids: std::collections::HashSet<_> = a.iter().map(|p| &p.id).collect();
        assert_eq!(ids.len(), a.len());
        for code in ["usd", "eur", "gbp", "jpy"] {
            assert!(a.iter().any(|p| p.currency == code), "{code}");
        }
        for sub in ["succeeded", "refunded", "partially_refunded"] {
            assert!(a.iter().any(|p| p.substatus() == sub), "{sub}");
        }
        for status in NO_MONEY {
            assert!(a.iter().any(|p| p.status == status), "{status:?}");
        }
        assert!(a
            .iter()
            .filter(|p| p.currency == "eur")
            .all(|p| p.tax_amount > 0 || !p.moved_money()));
        assert!(a
            .iter()
            .filter(|p| p.moved_money())
            .all(|p| p.fees > 0 && p.amount_after_fees() > 0));
        assert!(a.iter().all(|p| p.updated_at >= p.created_at));
    }
}
