//! The totals a ledger synced from the Gumroad stand-in should hold, computed straight from the
//! stored sales — the yardstick an end-to-end or sync test compares the ledger against.

use std::collections::BTreeMap;

use serde::Serialize;

use super::sale::StandInSale;

/// Totals for one currency. Gumroad's `price` and `gumroad_fee` are USD cents whatever the
/// display `currency`, so every Gumroad sale counts under `"USD"`, the only key.
///
/// Exactly:
/// * `sales`: every stored sale, once, whatever its state (refunded and charged back included).
/// * `price_cents`: Σ `price`. `gumroad_fee_cents`: Σ `gumroad_fee` (fees are not given back on
///   refunds here; nothing in the API says what part of the fee a refund returns).
/// * `refunded_cents`: Σ `price` over sales with `refunded: true`, plus Σ
///   (`price` − `amount_refundable_in_currency` × 100) over sales with `partially_refunded: true`
///   whose `currency` is `usd` — for those the API gives the refunded amount exactly.
/// * `chargeback_cents`: Σ `price` over sales with `chargedback: true` (disputed and not won; a won
///   dispute, `dispute_won: true`, counts nothing). The stand-in never charges back a refunded sale.
/// * `partial_refunds_other_currency`: partially refunded sales shown in another currency. The API
///   gives what is left only in that currency, rounded, so their refunds are NOT in
///   `refunded_cents`; their true USD refunds are in `partial_refunded_cents_other_currency`.
/// * The counts `full_refunds`, `partial_refunds` (all currencies), `chargebacks`, `disputes_won`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GumroadTotals {
    pub sales: u64,
    pub price_cents: i64,
    pub gumroad_fee_cents: i64,
    pub refunded_cents: i64,
    pub chargeback_cents: i64,
    pub full_refunds: u64,
    pub partial_refunds: u64,
    pub chargebacks: u64,
    pub disputes_won: u64,
    pub partial_refunds_other_currency: u64,
    pub partial_refunded_cents_other_currency: i64,
}

/// Totals per currency code (`"USD"`); empty when there are no sales. Sums saturate rather than
/// overflow (only absurd admin input could get there).
pub(crate) fn expected_totals<'a>(
    sales: impl Iterator<Item = &'a StandInSale>,
) -> BTreeMap<String, GumroadTotals> {
    let mut map = BTreeMap::new();
    for sale in sales {
        let t: &mut GumroadTotals = map.entry("USD".to_owned()).or_default();
        t.sales += 1;
        t.price_cents = t.price_cents.saturating_add(sale.price_cents);
        t.gumroad_fee_cents = t.gumroad_fee_cents.saturating_add(sale.gumroad_fee_cents);
        if sale.is_refunded() {
            t.full_refunds += 1;
            t.refunded_cents = t.refunded_cents.saturating_add(sale.price_cents);
        } else if sale.is_partially_refunded() {
            t.partial_refunds += 1;
            if sale.currency == "usd" {
                t.refunded_cents = t.refunded_cents.saturating_add(sale.refunded_cents);
            } else {
                t.partial_refunds_other_currency += 1;
                t.partial_refunded_cents_other_currency = t
                    .partial_refunded_cents_other_currency
                    .saturating_add(sale.refunded_cents);
            }
        }
        if sale.is_chargedback() {
            t.chargebacks += 1;
            t.chargeback_cents = t.chargeback_cents.saturating_add(sale.price_cents);
        } else if sale.dispute_won {
            t.disputes_won += 1;
        }
    }
    map
}
