//! The totals a ledger synced from the Stripe stand-in should hold, from the stored charges, per
//! settlement currency (lowercase key), in its minor units.

use std::collections::BTreeMap;

use serde::Serialize;

use super::charge::{ChargeStatus, DisputeStatus, StandInCharge};

/// Exactly:
/// * only `succeeded` charges count (money moved); `pending` and `failed` ones only in
///   `unpaid_charges`;
/// * `charges`, `amount`, `fee`, `net`: their count and the Σ of their charge balance transactions;
/// * `refunded`: Σ of their refunds' balance transactions (positive); `refunded_charges`: charges with
///   any refund;
/// * `disputed`: Σ of the withdrawals of disputes not won (positive), `open_or_lost_disputes` their
///   count; `won_disputes`: the disputes won (their money came back).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StripeTotals {
    pub charges: u64,
    pub amount: i64,
    pub fee: i64,
    pub net: i64,
    pub refunded: i64,
    pub refunded_charges: u64,
    pub disputed: i64,
    pub open_or_lost_disputes: u64,
    pub won_disputes: u64,
    pub unpaid_charges: u64,
}

pub(crate) fn expected_totals<'a>(
    charges: impl Iterator<Item = &'a StandInCharge>,
) -> BTreeMap<String, StripeTotals> {
    let mut map: BTreeMap<String, StripeTotals> = BTreeMap::new();
    for c in charges {
        let t = map.entry(c.settlement_currency.clone()).or_default();
        if c.status != ChargeStatus::Succeeded {
            t.unpaid_charges += 1;
            continue;
        }
        let (amount, fee, net) = c.balance();
        t.charges += 1;
        t.amount += amount;
        t.fee += fee;
        t.net += net;
        if !c.refunds.is_empty() {
            t.refunded_charges += 1;
            t.refunded += c.refunds.iter().map(|r| c.settle(r.amount)).sum::<i64>();
        }
        if let Some(d) = &c.dispute {
            if d.status == DisputeStatus::Won {
                t.won_disputes += 1;
            } else {
                t.open_or_lost_disputes += 1;
                t.disputed += c.settle(d.amount);
            }
        }
    }
    map
}
