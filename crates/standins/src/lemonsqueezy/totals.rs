//! The totals a ledger synced from the Lemon Squeezy stand-in should hold, from the stored orders.

use std::collections::BTreeMap;

use serde::Serialize;

use super::order::StandInOrder;

/// Totals for one currency, in its minor units. Exactly:
/// * only orders whose `status` is `paid`, `refunded` or `partial_refund` count (money moved);
///   `pending`, `failed` and `fraudulent` ones are only counted in `unpaid_orders`;
/// * `orders`: those counted; `subtotal`, `discount_total`, `tax`, `total`: Σ of those attributes;
/// * `refunded_amount`: Σ `refunded_amount` (full and partial refunds); `refunds`: orders with
///   `status: refunded`; `partial_refunds`: with `status: partial_refund`.
///
/// `expected_totals` keys these by the order `currency` (`"USD"`, `"EUR"`…), from the order-currency
/// fields; `expected_totals_usd` sums the `_usd` twins of every order into one `"USD"` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LemonSqueezyTotals {
    pub orders: u64,
    pub subtotal: i64,
    pub discount_total: i64,
    pub tax: i64,
    pub total: i64,
    pub refunded_amount: i64,
    pub refunds: u64,
    pub partial_refunds: u64,
    pub unpaid_orders: u64,
}

fn add(t: &mut LemonSqueezyTotals, o: &StandInOrder, convert: impl Fn(i64) -> i64) {
    if !matches!(o.status(), "paid" | "refunded" | "partial_refund") {
        t.unpaid_orders += 1;
        return;
    }
    t.orders += 1;
    t.subtotal = t.subtotal.saturating_add(convert(o.subtotal));
    t.discount_total = t.discount_total.saturating_add(convert(o.discount_total));
    t.tax = t.tax.saturating_add(convert(o.tax));
    t.total = t.total.saturating_add(convert(o.total()));
    t.refunded_amount = t.refunded_amount.saturating_add(convert(o.refunded_amount));
    match o.status() {
        "refunded" => t.refunds += 1,
        "partial_refund" => t.partial_refunds += 1,
        _ => {}
    }
}

pub(crate) fn expected_totals<'a>(
    orders: impl Iterator<Item = &'a StandInOrder>,
) -> BTreeMap<String, LemonSqueezyTotals> {
    let mut map: BTreeMap<String, LemonSqueezyTotals> = BTreeMap::new();
    for o in orders {
        add(map.entry(o.currency.clone()).or_default(), o, |x| x);
    }
    map
}

pub(crate) fn expected_totals_usd<'a>(
    orders: impl Iterator<Item = &'a StandInOrder>,
) -> BTreeMap<String, LemonSqueezyTotals> {
    let mut map: BTreeMap<String, LemonSqueezyTotals> = BTreeMap::new();
    for o in orders {
        add(map.entry("USD".to_owned()).or_default(), o, |x| o.usd(x));
    }
    map
}
