//! The ledger events of a Stripe charge — the same events, with the same external ids, as a row of
//! the payments export read by the `stripe-payments` preset: the sale under the charge id (`ch_…`,
//! the export's `id`), its refunds together as `<id>:refund`, its dispute as `<id>:chargeback`.
//!
//! Amounts come from the balance transactions, which are what reached the balance: Stripe's fee is
//! only there, and they are in the settlement currency. For a charge settled in its own currency —
//! the export's case, and nearly every charge — that is the charge's amount and currency exactly; a
//! charge converted on settlement (GBP paid into a USD balance) is booked in the currency the creator
//! was paid, with the exact figures Stripe settled, never a rate applied here.

use tributary_model::{Currency, EventKind, NewEvent, UtcInstant};

use super::objects::{BalanceTransaction, Charge, Dispute, Expandable};

/// Charges whose money has moved: `succeeded` and captured. `pending` (a bank debit on its way) and
/// `failed` make no event yet.
fn moved_money(c: &Charge) -> bool {
    c.status == "succeeded" && c.captured
}

fn instant(seconds: i64) -> UtcInstant {
    UtcInstant::from_millis(seconds.saturating_mul(1000))
}

fn currency(t: &BalanceTransaction) -> Result<Currency, String> {
    Currency::from_code(&t.currency.to_ascii_uppercase()).map_err(|e| {
        format!(
            "balance transaction {}: currency \"{}\": {e}",
            t.id, t.currency
        )
    })
}

fn expanded<'a>(
    field: &'a Option<Expandable<BalanceTransaction>>,
    owner: &str,
) -> Result<&'a BalanceTransaction, String> {
    match field {
        Some(Expandable::Object(t)) => Ok(t),
        Some(Expandable::Id(id)) => Err(format!(
            "{owner}: its balance transaction {id} came as an id; the request asks for it expanded"
        )),
        None => Err(format!("{owner}: it has no balance transaction")),
    }
}

/// The sale of a charge, or `None` for one whose money has not moved.
pub fn sale(c: &Charge, account: &str) -> Result<Option<NewEvent>, String> {
    if !moved_money(c) {
        return Ok(None);
    }
    let owner = format!("charge {}", c.id);
    let t = expanded(&c.balance_transaction, &owner)?;
    if t.amount.checked_sub(t.fee) != Some(t.net) {
        return Err(format!(
            "{owner}: balance transaction {} has net {} where amount {} minus fee {} is another",
            t.id, t.net, t.amount, t.fee
        ));
    }
    let billing = c.billing_details.as_ref();
    let email = billing
        .and_then(|b| b.email.clone())
        .or_else(|| c.receipt_email.clone())
        .filter(|e| !e.is_empty());
    let country = billing
        .and_then(|b| b.address.as_ref())
        .and_then(|a| a.country.clone())
        .filter(|c| c.len() == 2)
        .map(|c| c.to_ascii_uppercase());
    Ok(Some(NewEvent {
        platform: "stripe".into(),
        account: account.to_string(),
        external_id: c.id.clone(),
        kind: EventKind::Sale,
        occurred_at: instant(c.created),
        product_id: None,
        product_name: c.description.clone().filter(|d| !d.is_empty()),
        quantity: 1,
        currency: currency(t)?,
        gross_minor: t.amount,
        fees_minor: t.fee,
        net_minor: t.net,
        buyer_email: email,
        country,
        raw: None,
        source_line: None,
        settlement: None,
    }))
}

/// The charge's events, pushed in order: the sale, then its refunds as one event (what the export's
/// cumulative `Amount Refunded` is), dated at the latest refund. Needs the charge read with
/// `balance_transaction` and `refunds.data.balance_transaction` expanded.
pub fn charge_events(c: &Charge, account: &str, out: &mut Vec<NewEvent>) -> Result<(), String> {
    let Some(sale) = sale(c, account)? else {
        return Ok(());
    };
    let mut refunded: i64 = 0;
    let mut latest: Option<i64> = None;
    for r in c.refunds.iter().flat_map(|l| l.data.iter()) {
        // A refund that failed or was canceled gave nothing back.
        if matches!(r.status.as_deref(), Some("failed" | "canceled")) {
            continue;
        }
        let t = expanded(
            &r.balance_transaction,
            &format!("refund {} of charge {}", r.id, c.id),
        )?;
        refunded = refunded
            .checked_sub(t.amount)
            .ok_or_else(|| format!("charge {}: its refunds are too large to add up", c.id))?;
        latest = Some(latest.map_or(r.created, |l| l.max(r.created)));
    }
    let has_more_refunds = c.refunds.as_ref().is_some_and(|l| l.has_more);
    if has_more_refunds {
        return Err(format!(
            "charge {}: its refunds come in more than one page, which this connector does not read",
            c.id
        ));
    }
    out.push(sale.clone());
    if refunded != 0 {
        let at = latest.map_or(sale.occurred_at, instant);
        out.push(sale.taken_back(EventKind::Refund, refunded, at));
    }
    Ok(())
}

/// The dispute's chargeback: what its balance transactions took from the balance (the withdrawal,
/// less the reinstatement of a dispute won: a won one is 0, so an earlier open one is set right),
/// dated when it opened. Stripe's dispute fee is not booked, as the export does not show it. A
/// dispute with no balance transaction (an inquiry) moved no money: no event. Needs the dispute read
/// with `charge.balance_transaction` expanded.
pub fn chargeback(d: &Dispute, account: &str) -> Result<Option<NewEvent>, String> {
    if d.balance_transactions.is_empty() {
        return Ok(None);
    }
    let Some(charge) = d.charge.object() else {
        return Err(format!(
            "dispute {}: its charge came as an id; the request asks for it expanded",
            d.id
        ));
    };
    let Some(sale) = sale(charge, account)? else {
        return Ok(None);
    };
    let mut taken: i64 = 0;
    for t in &d.balance_transactions {
        if currency(t)? != sale.currency {
            return Err(format!(
                "dispute {}: balance transaction {} is in {} but the charge settled in {}",
                d.id,
                t.id,
                t.currency,
                sale.currency.code()
            ));
        }
        taken = taken
            .checked_sub(t.amount)
            .ok_or_else(|| format!("dispute {}: its amounts are too large to add up", d.id))?;
    }
    Ok(Some(sale.taken_back(
        EventKind::Chargeback,
        taken.max(0),
        instant(d.created),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn charge(value: serde_json::Value) -> Charge {
        serde_json::from_value(value).unwrap()
    }

    fn ebook() -> serde_json::Value {
        json!({
            "id": "ch_3PqR8sAbCdEfGh12", "object": "charge", "amount": 2000, "created": 1714572191,
            "currency": "usd", "status": "succeeded", "captured": true, "description": "Ebook",
            "receipt_email": "buyer@example.com",
            "billing_details": { "email": "buyer@example.com", "address": { "country": "us" } },
            "balance_transaction": { "id": "txn_1", "amount": 2000, "fee": 88, "net": 1912, "currency": "usd" },
            "refunds": { "object": "list", "has_more": false, "data": [] }
        })
    }

    #[test]
    fn a_charge_is_its_balance_transaction_with_stripes_fee() {
        let mut out = Vec::new();
        charge_events(&charge(ebook()), "main", &mut out).unwrap();
        assert_eq!(out.len(), 1);
        let e = &out[0];
        assert_eq!(
            (
                e.external_id.as_str(),
                e.currency.code(),
                e.gross_minor,
                e.fees_minor,
                e.net_minor
            ),
            ("ch_3PqR8sAbCdEfGh12", "USD", 2000, 88, 1912)
        );
        assert_eq!(e.occurred_at.to_rfc3339(), "2024-05-01T14:03:11Z");
        assert_eq!(
            (e.country.as_deref(), e.product_name.as_deref()),
            (Some("US"), Some("Ebook"))
        );
    }

    #[test]
    fn refunds_add_up_into_one_event_at_the_latest() {
        let mut c = ebook();
        c["refunds"]["data"] = json!([
            { "id": "re_2", "created": 1714900000, "status": "succeeded",
              "balance_transaction": { "id": "txn_3", "amount": -700, "fee": 0, "net": -700, "currency": "usd" } },
            { "id": "re_1", "created": 1714800000, "status": "succeeded",
              "balance_transaction": { "id": "txn_2", "amount": -500, "fee": 0, "net": -500, "currency": "usd" } },
            { "id": "re_0", "created": 1714950000, "status": "failed",
              "balance_transaction": { "id": "txn_4", "amount": -800, "fee": 0, "net": -800, "currency": "usd" } }
        ]);
        let mut out = Vec::new();
        charge_events(&charge(c), "main", &mut out).unwrap();
        assert_eq!(out.len(), 2);
        assert_eq!(
            (
                out[1].external_id.as_str(),
                out[1].gross_minor,
                out[1].quantity
            ),
            ("ch_3PqR8sAbCdEfGh12:refund", -1200, 0)
        );
        assert_eq!(out[1].occurred_at, instant(1714900000));
    }

    #[test]
    fn charges_whose_money_has_not_moved_make_no_event_and_ids_are_refused() {
        for status in ["pending", "failed"] {
            let mut c = ebook();
            c["status"] = json!(status);
            let mut out = Vec::new();
            charge_events(&charge(c), "main", &mut out).unwrap();
            assert!(out.is_empty(), "{status}");
        }
        let mut c = ebook();
        c["balance_transaction"] = json!("txn_1");
        let err = charge_events(&charge(c), "main", &mut Vec::new()).unwrap_err();
        assert!(err.contains("expanded"), "{err}");
        let mut c = ebook();
        c["balance_transaction"]["net"] = json!(1900);
        assert!(charge_events(&charge(c), "main", &mut Vec::new()).is_err());
    }

    #[test]
    fn a_dispute_takes_what_its_balance_transactions_took_and_a_won_one_nothing() {
        let dispute = |lines: serde_json::Value| -> Dispute {
            serde_json::from_value(json!({
                "id": "dp_1", "created": 1715000000, "charge": ebook(), "balance_transactions": lines
            }))
            .unwrap()
        };
        let withdrawal = json!({ "id": "txn_d1", "amount": -2000, "fee": 1500, "net": -3500, "currency": "usd" });
        let lost = chargeback(&dispute(json!([withdrawal])), "main")
            .unwrap()
            .unwrap();
        assert_eq!(
            (
                lost.external_id.as_str(),
                lost.gross_minor,
                lost.fees_minor,
                lost.quantity
            ),
            ("ch_3PqR8sAbCdEfGh12:chargeback", -2000, 0, -1)
        );
        let reinstated =
            json!({ "id": "txn_d2", "amount": 2000, "fee": 0, "net": 2000, "currency": "usd" });
        let won = chargeback(&dispute(json!([withdrawal, reinstated])), "main")
            .unwrap()
            .unwrap();
        assert_eq!((won.gross_minor, won.quantity), (0, 0));
        assert!(chargeback(&dispute(json!([])), "main").unwrap().is_none());
    }
}
