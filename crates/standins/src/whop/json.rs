//! A payment as `GET /api/v1/payments` lists it (contract §2.3): every field the list shape has, in
//! alphabetical order as the SDK types list them; amounts as JSON numbers in major units (see
//! `amount`); times as RFC 3339 with milliseconds (`2026-05-01T14:03:11.401Z`).

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::amount::major;
use super::payment::{StandInPayment, Status};
use super::state::Company;

/// `2026-05-01T14:03:11.401Z`.
pub(crate) fn timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

fn optional_time(at: Option<DateTime<Utc>>) -> Value {
    at.map_or(Value::Null, |t| Value::String(timestamp(t)))
}

pub(crate) fn payment_object(p: &StandInPayment, company: &Company) -> Value {
    let e = p.exponent();
    let paid = p.status == Status::Paid;
    let refundable = paid && p.refunded_amount < p.total();
    // Two halves: one `json!` of every field is deeper than the macro's recursion limit.
    let mut v = json!({
        "id": p.id,
        "amount_after_fees": major(p.amount_after_fees(), e),
        "application_fee": null,
        "auto_refunded": false,
        "billing_address": null,
        "billing_reason": p.billing_reason,
        "card_brand": p.card_brand,
        "card_last4": p.card_last4,
        "checkout_configuration_id": null,
        "company": { "id": company.id, "route": company.route, "title": company.title },
        "created_at": timestamp(p.created_at),
        "currency": p.currency,
        "dispute_alerted_at": optional_time(p.dispute.as_ref().map(|d| d.alerted_at)),
        "failure_message": if matches!(p.status, Status::Open | Status::Unresolved | Status::Uncollectible) {
            json!("Your card was declined.")
        } else {
            Value::Null
        },
        "last_payment_attempt": optional_time(Some(p.created_at)),
        "member": { "id": format!("mber_{}", &p.user_id.trim_start_matches("user_")), "phone": null },
        "membership": {
            "id": format!("mem_{}", &p.id.trim_start_matches("pay_")),
            "phone_number": null,
            "status": if paid { "active" } else { "drafted" },
        },
    });
    let rest = json!({
        "metadata": {},
        "next_payment_attempt": null,
        "paid_at": optional_time(p.paid_at),
        "payment_method": null,
        "payment_method_type": "card",
        "payments_failed": u32::from(!paid && p.status != Status::Draft),
        "plan": { "id": p.plan_id },
        "product": { "id": p.product_id, "title": p.product_title, "route": route_of(&p.product_title) },
        "promo_code": null,
        "refundable": refundable,
        "refunded_amount": major(p.refunded_amount, e),
        "refunded_at": optional_time(p.refunded_at),
        "retryable": matches!(p.status, Status::Open | Status::Unresolved),
        "settlement_currency": p.currency,
        "shipping_address": null,
        "status": p.status.as_str(),
        "substatus": p.substatus(),
        "subtotal": major(p.subtotal, e),
        "tax_amount": major(p.tax_amount, e),
        "tax_behavior": if p.tax_amount > 0 { json!("exclusive") } else { Value::Null },
        "total": major(p.total(), e),
        "updated_at": timestamp(p.updated_at),
        "usd_total": major(p.usd_total(), 2),
        "user": { "id": p.user_id, "name": p.user_name, "username": p.username, "email": p.user_email },
        "voidable": matches!(p.status, Status::Open | Status::Draft),
    });
    if let (Some(object), Value::Object(more)) = (v.as_object_mut(), rest) {
        object.extend(more);
    }
    v
}

/// `Trading Course` → `trading-course`.
fn route_of(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_payment_shows_its_amounts_in_major_units_and_its_substatus() {
        let at = Utc.with_ymd_and_hms(2026, 5, 1, 14, 3, 11).unwrap();
        let mut p = StandInPayment::new(at, "Trading Course", 4999).refunded_by(1000);
        p.id = "pay_9xB2kLmN3pQrSt".into();
        let v = payment_object(&p, &Company::default());
        let text = serde_json::to_string(&v).unwrap();
        assert!(text.contains(r#""total":49.99"#), "{text}");
        assert!(text.contains(r#""tax_amount":0.0"#), "{text}");
        assert!(text.contains(r#""refunded_amount":10.0"#), "{text}");
        // 2.7% of 49.99 is 1.35, plus 0.30: 1.65 in fees.
        assert!(text.contains(r#""amount_after_fees":48.34"#), "{text}");
        assert_eq!(v["substatus"], "partially_refunded");
        assert_eq!(v["status"], "paid");
        assert_eq!(v["currency"], "usd");
        assert_eq!(v["created_at"], "2026-05-01T14:03:11.000Z");
        assert_eq!(v["product"]["route"], "trading-course");
        let yen = StandInPayment::new(at, "Course", 1200).in_currency("JPY");
        let text = serde_json::to_string(&payment_object(&yen, &Company::default())).unwrap();
        assert!(text.contains(r#""total":1200.0"#), "{text}");
        assert!(text.contains(r#""currency":"jpy""#), "{text}");
    }
}
