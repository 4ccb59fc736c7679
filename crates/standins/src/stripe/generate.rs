//! Made-up Stripe charges, the same for the same seed: mostly USD, some EUR and JPY settled in their
//! own currency, some GBP converted to USD; about 5% refunded in full and 3% in part, 1% disputed
//! (lost, won or still open), 2% failed and 1% pending (no money moved yet); refunds and disputes a
//! few days after their charge; spread over a period at whole seconds.

use chrono::{DateTime, Duration, Utc};

use super::charge::{ChargeStatus, DisputeStatus, StandInCharge, StandInDispute, StandInRefund};
use super::store::stripe_id;
use crate::money;
use crate::rng::SplitMix64;

const PRODUCTS: [(&str, i64); 4] = [
    ("Ebook", 2000),
    ("Icon Set Pro", 1900),
    ("Founder's Course", 9900),
    ("Desktop Wallpapers", 500),
];

const CURRENCIES: [(&str, u64); 4] = [("usd", 700), ("eur", 120), ("jpy", 80), ("gbp", 100)];

/// GBP charges settle in USD at this many cents per 10,000 pence.
const GBP_TO_USD_PER_10000: i64 = 12_700;

pub fn generate_charges(
    n: usize,
    seed: u64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<StandInCharge> {
    let mut rng = SplitMix64::new(seed);
    let (from, to) = if to < from { (to, from) } else { (from, to) };
    let start = from.timestamp();
    let span = u64::try_from(to.timestamp() - start).unwrap_or(0);
    let mut charges: Vec<StandInCharge> = (0..n)
        .map(|i| {
            let secs = i64::try_from(rng.below(span + 1)).unwrap_or(0);
            let at = DateTime::from_timestamp(start + secs, 0).unwrap_or(from);
            one_charge(&mut rng, at, to, i)
        })
        .collect();
    charges.sort_by_key(|c| c.created);
    for (i, c) in charges.iter_mut().enumerate() {
        let n = i as u64 + 1;
        c.id = stripe_id("ch", n);
        for (j, r) in c.refunds.iter_mut().enumerate() {
            r.id = stripe_id("re", n * 64 + j as u64);
        }
        if let Some(d) = c.dispute.as_mut() {
            d.id = stripe_id("dp", n);
        }
    }
    charges
}

fn later(rng: &mut SplitMix64, at: DateTime<Utc>, to: DateTime<Utc>) -> DateTime<Utc> {
    let days = 1 + rng.below(20) as i64;
    (at + Duration::days(days)).min(to).max(at)
}

fn one_charge(
    rng: &mut SplitMix64,
    at: DateTime<Utc>,
    to: DateTime<Utc>,
    i: usize,
) -> StandInCharge {
    let (name, usd_cents) = PRODUCTS[rng.below(PRODUCTS.len() as u64) as usize];
    let code = CURRENCIES[rng.weighted(&CURRENCIES.map(|c| c.1))].0;
    let amount = money::usd_to_display(usd_cents, &money::currency(code));
    let mut c = StandInCharge::new(at, name, amount)
        .in_currency(code)
        .email(&format!("buyer{}@example.com", i + 1));
    c.customer = format!("cus_{:014}", 1 + rng.below(1 + i as u64 / 2));
    c.country = Some(
        match code {
            "eur" => "DE",
            "jpy" => "JP",
            "gbp" => "GB",
            _ => "US",
        }
        .into(),
    );
    if code == "gbp" {
        c = c.settled_in("usd", GBP_TO_USD_PER_10000);
    }
    match rng.weighted(&[880, 50, 30, 10, 20, 10]) {
        1 => c.refunds.push(StandInRefund {
            id: String::new(),
            amount: c.amount,
            created: later(rng, at, to),
        }),
        2 => {
            // A part, sometimes in two refunds.
            let part = money::mul_div_round(c.amount, 10 + rng.below(41) as i64, 100).max(1);
            let first = later(rng, at, to);
            c.refunds.push(StandInRefund {
                id: String::new(),
                amount: part,
                created: first,
            });
            if rng.chance(300) {
                c.refunds.push(StandInRefund {
                    id: String::new(),
                    amount: part.min(c.amount - part),
                    created: later(rng, first, to),
                });
            }
        }
        3 => {
            let status = match rng.below(4) {
                0 => DisputeStatus::Won,
                1 => DisputeStatus::NeedsResponse,
                _ => DisputeStatus::Lost,
            };
            c.dispute = Some(StandInDispute {
                id: String::new(),
                amount: c.amount,
                status,
                created: later(rng, at, to),
            });
        }
        4 => c = c.status(ChargeStatus::Failed),
        5 => c = c.status(ChargeStatus::Pending),
        _ => {}
    }
    c.refunds.retain(|r| r.amount > 0);
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_same_seed_gives_the_same_mix_of_charges() {
        let (from, to) = (
            Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2024, 12, 31, 0, 0, 0).unwrap(),
        );
        let a = generate_charges(3000, 3, from, to);
        assert_eq!(a, generate_charges(3000, 3, from, to));
        assert!(a.windows(2).all(|w| w[0].created <= w[1].created));
        for code in ["usd", "eur", "gbp", "jpy"] {
            assert!(a.iter().any(|c| c.currency == code), "{code}");
        }
        assert!(a
            .iter()
            .filter(|c| c.currency == "gbp")
            .all(|c| c.settlement_currency == "usd"));
        assert!(a.iter().any(|c| c.refunded()));
        assert!(a.iter().any(|c| !c.refunds.is_empty() && !c.refunded()));
        assert!(a.iter().any(|c| c.refunds.len() == 2));
        for status in [
            DisputeStatus::Won,
            DisputeStatus::Lost,
            DisputeStatus::NeedsResponse,
        ] {
            assert!(
                a.iter()
                    .any(|c| c.dispute.as_ref().is_some_and(|d| d.status == status)),
                "{status:?}"
            );
        }
        for status in [ChargeStatus::Failed, ChargeStatus::Pending] {
            assert!(a.iter().any(|c| c.status == status), "{status:?}");
        }
        assert!(a.iter().all(|c| c.amount_refunded() <= c.amount));
        let ids: std::collections::HashSet<_> = a.iter().map(|c| c.id.clone()).collect();
        assert_eq!(ids.len(), a.len());
    }
}
