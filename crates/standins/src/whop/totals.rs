//! The totals a ledger synced from the Whop stand-in should hold, from the stored payments, in
//! integer minor units of each currency.

use std::collections::BTreeMap;

use serde::Serialize;

use super::payment::StandInPayment;

/// Totals for one currency, in its minor units. Exactly:
/// * only payments that moved money count: `status: paid` with a `total` above zero; every other
///   payment (draft, open, pending, uncollectible, unresolved, void, or free) is only counted in
///   `no_money_payments`;
/// * `payments`: those counted; `subtotal`, `tax_amount`, `total`, `amount_after_fees`: Σ of those
///   amounts; `fees`: Σ (`total − amount_after_fees`), Whop's fees and the tax it remits;
/// * `refunded_amount`: Σ `refunded_amount`; `refunds`: payments with `substatus: refunded`;
///   `partial_refunds`: with `substatus: partially_refunded`.
///
/// Keyed by the payment `currency` as the API writes it, lowercase (`"usd"`, `"jpy"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WhopTotals {
    pub payments: u64,
    pub subtotal: i64,
    pub tax_amount: i64,
    pub total: i64,
    pub fees: i64,
    pub amount_after_fees: i64,
    pub refunded_amount: i64,
    pub refunds: u64,
    pub partial_refunds: u64,
    pub no_money_payments: u64,
    /// Σ what disputes not won took (the total less any refund); `disputes`: payments disputed,
    /// won or not.
    pub disputed: i64,
    pub disputes: u64,
}

pub(crate) fn expected_totals<'a>(
    payments: impl Iterator<Item = &'a StandInPayment>,
) -> BTreeMap<String, WhopTotals> {
    let mut map: BTreeMap<String, WhopTotals> = BTreeMap::new();
    for p in payments {
        let t = map.entry(p.currency.clone()).or_default();
        if !p.moved_money() {
            t.no_money_payments += 1;
            continue;
        }
        t.payments += 1;
        t.subtotal = t.subtotal.saturating_add(p.subtotal);
        t.tax_amount = t.tax_amount.saturating_add(p.tax_amount);
        t.total = t.total.saturating_add(p.total());
        t.fees = t.fees.saturating_add(p.total() - p.amount_after_fees());
        t.amount_after_fees = t.amount_after_fees.saturating_add(p.amount_after_fees());
        t.refunded_amount = t.refunded_amount.saturating_add(p.refunded_amount);
        if p.refunded_amount >= p.total() {
            t.refunds += 1;
        } else if p.refunded_amount > 0 {
            t.partial_refunds += 1;
        }
        t.disputed = t.disputed.saturating_add(p.disputed_amount());
        t.disputes += u64::from(p.dispute.is_some());
    }
    map
}
