//! Stripe objects as the API writes them (contract §3.5): charges, balance transactions, refunds and
//! disputes, with `expand[]` honoured where the connector and people use it — an expandable field is
//! its object's id unless the request expands it.

use serde_json::{json, Value};

use super::charge::{StandInCharge, StandInDispute, StandInRefund};
use super::store::stripe_id;

/// The `expand[]` paths of a request, relative to the object being written (`data.` taken off for
/// lists).
#[derive(Debug, Default, Clone)]
pub(crate) struct Expand(Vec<String>);

/// The paths each object can expand, for the 400 an unknown one gets.
pub(crate) const CHARGE_EXPANDABLE: [&str; 4] = [
    "balance_transaction",
    "refunds",
    "refunds.data.balance_transaction",
    "customer",
];
pub(crate) const REFUND_EXPANDABLE: [&str; 3] = [
    "balance_transaction",
    "charge",
    "charge.balance_transaction",
];
pub(crate) const DISPUTE_EXPANDABLE: [&str; 2] = ["charge", "charge.balance_transaction"];

impl Expand {
    pub fn new(paths: Vec<String>) -> Self {
        Expand(paths)
    }

    pub fn paths(&self) -> &[String] {
        &self.0
    }

    /// Whether `field` is expanded (itself, or as the start of a longer path).
    fn has(&self, field: &str) -> bool {
        self.0.iter().any(|p| {
            p == field
                || p.strip_prefix(field)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    }

    /// The paths under `field.`, for the object it expands into.
    fn under(&self, field: &str) -> Expand {
        let prefix = format!("{field}.");
        Expand(
            self.0
                .iter()
                .filter_map(|p| p.strip_prefix(&prefix).map(str::to_owned))
                .collect(),
        )
    }
}

fn txn_id(charge: &StandInCharge, what: &str, n: usize) -> String {
    stripe_id("txn", fnv(&format!("{}:{what}:{n}", charge.id)))
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn payment_intent(c: &StandInCharge) -> String {
    format!("pi_{}", c.id.strip_prefix("ch_").unwrap_or(&c.id))
}

fn exchange_rate(charge: &StandInCharge) -> Value {
    if charge.currency == charge.settlement_currency {
        Value::Null
    } else {
        // Stripe writes the rate as a float; the stand-in's rate is exact in four decimals.
        let text = format!(
            "{}.{:04}",
            charge.settlement_per_10000 / 10_000,
            charge.settlement_per_10000 % 10_000
        );
        text.parse::<f64>().map_or(Value::Null, |r| json!(r))
    }
}

#[allow(clippy::too_many_arguments)]
fn balance_transaction(
    charge: &StandInCharge,
    id: String,
    kind: &str,
    source: &str,
    created: i64,
    amount: i64,
    fee: i64,
    description: &str,
) -> Value {
    let fee_details: Vec<Value> = if fee == 0 {
        Vec::new()
    } else {
        vec![json!({
            "amount": fee, "application": null, "currency": charge.settlement_currency,
            "description": if kind == "adjustment" { "Dispute fee" } else { "Stripe processing fees" },
            "type": "stripe_fee"
        })]
    };
    json!({
        "id": id, "object": "balance_transaction", "amount": amount,
        "available_on": created + 7 * 86_400, "created": created,
        "currency": charge.settlement_currency, "description": description,
        "exchange_rate": exchange_rate(charge), "fee": fee, "fee_details": fee_details,
        "net": amount - fee, "reporting_category": if kind == "adjustment" { "dispute" } else { kind },
        "source": source, "status": "available", "type": kind
    })
}

fn charge_balance_transaction(charge: &StandInCharge) -> Value {
    let (amount, fee, _) = charge.balance();
    balance_transaction(
        charge,
        txn_id(charge, "charge", 0),
        "charge",
        &charge.id,
        charge.created.timestamp(),
        amount,
        fee,
        &charge.description,
    )
}

fn refund_balance_transaction(charge: &StandInCharge, i: usize, refund: &StandInRefund) -> Value {
    balance_transaction(
        charge,
        txn_id(charge, "refund", i),
        "refund",
        &refund.id,
        refund.created.timestamp(),
        -charge.settle(refund.amount),
        0,
        "REFUND FOR CHARGE",
    )
}

pub(crate) fn charge(c: &StandInCharge, expand: &Expand) -> Value {
    let has_txn = c.has_balance_transaction();
    let balance_transaction = match (has_txn, expand.has("balance_transaction")) {
        (false, _) => Value::Null,
        (true, true) => charge_balance_transaction(c),
        (true, false) => json!(txn_id(c, "charge", 0)),
    };
    let status = match c.status {
        super::charge::ChargeStatus::Succeeded => "succeeded",
        super::charge::ChargeStatus::Pending => "pending",
        super::charge::ChargeStatus::Failed => "failed",
    };
    let paid = c.status != super::charge::ChargeStatus::Failed;
    let payment_intent = payment_intent(c);
    let mut value = json!({
        "id": c.id, "object": "charge", "amount": c.amount,
        "amount_captured": if paid { c.amount } else { 0 },
        "amount_refunded": c.amount_refunded(),
        "balance_transaction": balance_transaction,
        "billing_details": {
            "address": { "city": null, "country": c.country, "line1": null, "line2": null, "postal_code": null, "state": null },
            "email": c.email, "name": "Stand-in Buyer", "phone": null
        },
        "captured": paid, "created": c.created.timestamp(), "currency": c.currency,
        "customer": if expand.has("customer") {
            json!({ "id": c.customer, "object": "customer", "email": c.email })
        } else {
            json!(c.customer)
        },
        "description": c.description, "disputed": c.dispute.is_some(),
        "failure_code": if paid { Value::Null } else { json!("card_declined") },
        "failure_message": if paid { Value::Null } else { json!("Your card was declined.") },
        "livemode": false, "metadata": {}, "paid": paid, "payment_intent": payment_intent,
        "receipt_email": c.email, "refunded": c.refunded(), "status": status
    });
    if expand.has("refunds") {
        let under = expand.under("refunds").under("data");
        let data: Vec<Value> = c
            .refunds
            .iter()
            .enumerate()
            .rev()
            .map(|(i, r)| refund_of(c, i, r, &under))
            .collect();
        value["refunds"] = json!({
            "object": "list", "data": data, "has_more": false,
            "total_count": c.refunds.len(), "url": format!("/v1/charges/{}/refunds", c.id)
        });
    }
    value
}

fn refund_of(c: &StandInCharge, i: usize, r: &StandInRefund, expand: &Expand) -> Value {
    json!({
        "id": r.id, "object": "refund", "amount": r.amount,
        "balance_transaction": if expand.has("balance_transaction") {
            refund_balance_transaction(c, i, r)
        } else {
            json!(txn_id(c, "refund", i))
        },
        "charge": if expand.has("charge") { charge(c, &expand.under("charge")) } else { json!(c.id) },
        "created": r.created.timestamp(), "currency": c.currency, "metadata": {},
        "payment_intent": payment_intent(c),
        "reason": "requested_by_customer", "status": "succeeded"
    })
}

pub(crate) fn refund(c: &StandInCharge, r: &StandInRefund, expand: &Expand) -> Value {
    let i = c.refunds.iter().position(|x| x.id == r.id).unwrap_or(0);
    refund_of(c, i, r, expand)
}

pub(crate) fn dispute(c: &StandInCharge, d: &StandInDispute, expand: &Expand) -> Value {
    let lines: Vec<Value> = c
        .dispute_balance()
        .into_iter()
        .enumerate()
        .map(|(i, (amount, fee))| {
            let description = if amount < 0 {
                "Chargeback withdrawal"
            } else {
                "Chargeback reversal"
            };
            balance_transaction(
                c,
                txn_id(c, "dispute", i),
                "adjustment",
                &d.id,
                d.created.timestamp(),
                amount,
                fee,
                description,
            )
        })
        .collect();
    json!({
        "id": d.id, "object": "dispute", "amount": d.amount, "balance_transactions": lines,
        "charge": if expand.has("charge") { charge(c, &expand.under("charge")) } else { json!(c.id) },
        "created": d.created.timestamp(), "currency": c.currency, "is_charge_refundable": false,
        "livemode": false, "metadata": {}, "reason": "fraudulent", "status": d.status.as_str()
    })
}

/// `{"object":"list","url":…,"has_more":…,"data":[…]}`.
pub(crate) fn list(url: &str, data: Vec<Value>, has_more: bool) -> Value {
    json!({ "object": "list", "data": data, "has_more": has_more, "url": url })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn expandable_fields_are_ids_unless_expanded() {
        let at = Utc.with_ymd_and_hms(2024, 5, 1, 14, 3, 11).unwrap();
        let mut c = StandInCharge::new(at, "Ebook", 2000);
        c.id = "ch_3PqR8sAbCdEfGh12".into();
        c.refunds.push(StandInRefund {
            id: "re_1".into(),
            amount: 500,
            created: at,
        });
        let plain = charge(&c, &Expand::default());
        assert!(plain["balance_transaction"]
            .as_str()
            .is_some_and(|t| t.starts_with("txn_")));
        assert!(plain.get("refunds").is_none());
        let full = charge(
            &c,
            &Expand::new(vec![
                "balance_transaction".into(),
                "refunds.data.balance_transaction".into(),
            ]),
        );
        assert_eq!(full["balance_transaction"]["fee"], 88);
        assert_eq!(full["balance_transaction"]["net"], 1912);
        assert_eq!(
            full["refunds"]["data"][0]["balance_transaction"]["amount"],
            -500
        );
        assert_eq!(full["amount_refunded"], 500);
    }
}
