//! A Whop payment as `GET /payments` lists it (contract §2.3), and the ledger events it makes:
//! the payment under its id (`pay_…`), occurring when it was paid (`paid_at`, else `created_at`),
//! gross = `total`, net = `amount_after_fees`, fees = gross − net — Whop's processing fees and any
//! sales tax or VAT Whop remits (a `sales_tax_remittance` fee line), all in minor units of the
//! payment's currency; a refund as `<id>:refund` of `refunded_amount`, when `refunded_at` says
//! (else `updated_at`); a dispute (`substatus` `dispute_…`, contract §2.3 [I: the names after the
//! prefix]) as `<id>:chargeback` of what was not already refunded, dated `dispute_alerted_at`, and 0
//! once `dispute_won` (so a chargeback synced while open is set right). Only `status: paid` moved money: `draft`, `open`, `pending`,
//! `uncollectible`, `unresolved` and `void` payments make no event, nor do free ones (total 0). A
//! status Whop has not published is refused rather than guessed at.

use serde::Deserialize;
use serde_json::value::RawValue;
use tributary_model::{Currency, EventKind, NewEvent, UtcInstant};

use super::amount::minor_units;

#[derive(Deserialize)]
pub struct PaymentsPage {
    #[serde(default)]
    pub data: Vec<Payment>,
    #[serde(default)]
    pub page_info: PageInfo,
}

#[derive(Default, Deserialize)]
pub struct PageInfo {
    pub end_cursor: Option<String>,
    #[serde(default)]
    pub has_next_page: bool,
}

#[derive(Deserialize)]
pub struct Payment {
    pub id: String,
    pub status: Option<String>,
    pub currency: Option<String>,
    pub total: Option<Box<RawValue>>,
    pub amount_after_fees: Option<Box<RawValue>>,
    pub refunded_amount: Option<Box<RawValue>>,
    pub refunded_at: Option<String>,
    #[serde(default)]
    pub substatus: Option<String>,
    #[serde(default)]
    pub dispute_alerted_at: Option<String>,
    pub created_at: String,
    pub paid_at: Option<String>,
    pub updated_at: String,
    pub product: Option<Product>,
    pub user: Option<User>,
}

#[derive(Deserialize)]
pub struct Product {
    pub id: Option<String>,
    pub title: Option<String>,
}

#[derive(Deserialize)]
pub struct User {
    pub email: Option<String>,
}

/// `ReceiptStatus` values that moved no money.
const NO_MONEY: [&str; 6] = [
    "draft",
    "open",
    "pending",
    "uncollectible",
    "unresolved",
    "void",
];

impl Payment {
    pub fn updated_at(&self) -> Result<UtcInstant, String> {
        instant(&self.id, "updated_at", &self.updated_at)
    }

    /// The payment's events, pushed in order: the sale, then its refund when it has one.
    pub fn events(&self, account: &str, out: &mut Vec<NewEvent>) -> Result<(), String> {
        match self.status.as_deref().map(str::trim) {
            Some("paid") => {}
            None => return Ok(()),
            Some(s) if NO_MONEY.contains(&s) => return Ok(()),
            Some(other) => {
                return Err(format!(
                    "payment {}: status \"{other}\" is not one Whop publishes (draft, open, paid, pending, uncollectible, unresolved, void)",
                    self.id
                ))
            }
        }
        let code = self.currency.as_deref().unwrap_or_default();
        let currency = Currency::from_code(code)
            .map_err(|e| format!("payment {}: currency \"{code}\": {e}", self.id))?;
        let amount = |field: &str, raw: Option<&RawValue>| -> Result<Option<i64>, String> {
            raw.map(|r| minor_units(r, currency))
                .transpose()
                .map_err(|e| format!("payment {}: {field} {e}", self.id))
        };
        let Some(total) = amount("total", self.total.as_deref())? else {
            return Err(format!(
                "payment {}: a paid payment without a total",
                self.id
            ));
        };
        if total == 0 {
            return Ok(());
        }
        let net = amount("amount_after_fees", self.amount_after_fees.as_deref())?.unwrap_or(total);
        if !(0..=total).contains(&net) || total < 0 {
            return Err(format!(
                "payment {}: amount_after_fees {} is not between 0 and the total {}",
                self.id,
                tributary_model::format_minor(net, currency.exponent()),
                tributary_model::format_minor(total, currency.exponent()),
            ));
        }
        let refunded = amount("refunded_amount", self.refunded_amount.as_deref())?.unwrap_or(0);
        if !(0..=total).contains(&refunded) {
            return Err(format!(
                "payment {}: refunded_amount {} is not between 0 and the total {}",
                self.id,
                tributary_model::format_minor(refunded, currency.exponent()),
                tributary_model::format_minor(total, currency.exponent()),
            ));
        }
        let occurred_at = match non_empty(&self.paid_at) {
            Some(text) => instant(&self.id, "paid_at", text)?,
            None => instant(&self.id, "created_at", &self.created_at)?,
        };
        let product = self.product.as_ref();
        let sale = NewEvent {
            platform: "whop".into(),
            account: account.to_string(),
            external_id: self.id.clone(),
            kind: EventKind::Sale,
            occurred_at,
            product_id: product.and_then(|p| p.id.clone()).filter(|s| !s.is_empty()),
            product_name: product
                .and_then(|p| p.title.clone())
                .filter(|s| !s.is_empty()),
            quantity: 1,
            currency,
            gross_minor: total,
            fees_minor: total - net,
            net_minor: net,
            buyer_email: self
                .user
                .as_ref()
                .and_then(|u| u.email.clone())
                .filter(|s| !s.is_empty()),
            country: None,
            raw: None,
            source_line: None,
            settlement: None,
        };
        out.push(sale.clone());
        if refunded > 0 {
            let at = match non_empty(&self.refunded_at) {
                Some(text) => instant(&self.id, "refunded_at", text)?,
                None => self.updated_at()?,
            };
            out.push(sale.taken_back(EventKind::Refund, refunded, at));
        }
        if let Some(sub) = self.substatus.as_deref().map(str::trim) {
            if let Some(outcome) = sub.strip_prefix("dispute_") {
                let at = match non_empty(&self.dispute_alerted_at) {
                    Some(text) => instant(&self.id, "dispute_alerted_at", text)?,
                    None => self.updated_at()?,
                };
                let taken = match outcome {
                    "won" => 0,
                    _ => total - refunded,
                };
                out.push(sale.taken_back(EventKind::Chargeback, taken, at));
            }
        }
        Ok(())
    }
}

fn non_empty(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// `2026-05-01T14:03:11.401Z` (RFC 3339; anything finer than milliseconds is cut).
fn instant(id: &str, field: &str, text: &str) -> Result<UtcInstant, String> {
    chrono::DateTime::parse_from_rfc3339(text.trim())
        .map(|t| UtcInstant::from_millis(t.timestamp_millis()))
        .map_err(|e| format!("payment {id}: {field} \"{text}\" is not an RFC 3339 time ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The contract's example payment (§2.3).
    const BASE: &str = r#"{"id":"pay_9xB2kLmN3pQrSt","status":"paid","substatus":"succeeded","created_at":"2026-05-01T14:03:11.401Z",
 "paid_at":"2026-05-01T14:03:12.000Z","updated_at":"2026-05-01T14:03:12.000Z","currency":"usd",
 "subtotal":49.99,"total":49.99,"tax_amount":0.0,"usd_total":49.99,"amount_after_fees":46.24,
 "refunded_amount":0.0,"refunded_at":null,"refundable":true,
 "product":{"id":"prod_AbC123dEf456Gh","title":"Trading Course","route":"trading-course"},
 "user":{"id":"user_L9k8J7h6G5f4D3","name":"Jane Doe","username":"janed","email":"jane@example.com"}}"#;

    /// The example with `fields` replaced (numbers pass through an f64 here: see `as_written`).
    fn payment(fields: &str) -> Payment {
        let mut v: serde_json::Map<String, serde_json::Value> = serde_json::from_str(BASE).unwrap();
        let more: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&format!("{{{fields}}}")).unwrap();
        v.extend(more);
        serde_json::from_str(&serde_json::to_string(&v).unwrap()).unwrap()
    }

    /// The example's text with `from` replaced by `to`, every number as written.
    fn as_written(from: &str, to: &str) -> Payment {
        assert!(BASE.contains(from), "{from}");
        serde_json::from_str(&BASE.replace(from, to)).unwrap()
    }

    fn events_of(p: &Payment) -> Result<Vec<NewEvent>, String> {
        let mut out = Vec::new();
        p.events("main", &mut out).map(|()| out)
    }

    #[test]
    fn a_paid_payment_is_one_sale_with_whops_fees() {
        let events = events_of(&payment("")).unwrap();
        assert_eq!(events.len(), 1);
        let e = &events[0];
        assert_eq!(
            (
                e.external_id.as_str(),
                e.currency.code(),
                e.gross_minor,
                e.fees_minor,
                e.net_minor
            ),
            ("pay_9xB2kLmN3pQrSt", "USD", 4999, 375, 4624)
        );
        assert_eq!(e.occurred_at.to_rfc3339(), "2026-05-01T14:03:12Z");
        assert_eq!(e.product_name.as_deref(), Some("Trading Course"));
        assert_eq!(e.buyer_email.as_deref(), Some("jane@example.com"));
        assert_eq!(e.platform, "whop");
    }

    #[test]
    fn refunds_whole_and_partial_are_taken_back_when_they_happened() {
        let p = payment(
            r#""substatus":"partially_refunded","refunded_amount":10.0,"refunded_at":"2026-05-03T09:00:00.000Z""#,
        );
        let events = events_of(&p).unwrap();
        assert_eq!(events.len(), 2);
        let r = &events[1];
        assert_eq!(
            (
                r.external_id.as_str(),
                r.kind,
                r.gross_minor,
                r.fees_minor,
                r.quantity
            ),
            ("pay_9xB2kLmN3pQrSt:refund", EventKind::Refund, -1000, 0, 0)
        );
        assert_eq!(r.occurred_at.to_rfc3339(), "2026-05-03T09:00:00Z");
        let whole = events_of(&payment(r#""refunded_amount":49.99"#)).unwrap();
        assert_eq!((whole[1].gross_minor, whole[1].quantity), (-4999, -1));
        // No refunded_at: when the payment last changed.
        assert_eq!(whole[1].occurred_at.to_rfc3339(), "2026-05-01T14:03:12Z");
    }

    #[test]
    fn yen_and_exponents_keep_their_exact_minor_units() {
        let yen = as_written(
            r#""currency":"usd",
 "subtotal":49.99,"total":49.99"#,
            r#""currency":"jpy","subtotal":1200,"total":1200"#,
        );
        let e = events_of(&yen).unwrap_err();
        assert!(e.contains("amount_after_fees 46.24 JPY"), "{e}");
        // A float's exponent form is read exactly.
        let yen = serde_json::from_str::<Payment>(
            &BASE
                .replace(
                    r#""currency":"usd",
 "subtotal":49.99,"total":49.99"#,
                    r#""currency":"jpy","subtotal":1200,"total":1200"#,
                )
                .replace(
                    r#""amount_after_fees":46.24"#,
                    r#""amount_after_fees":1.1e3"#,
                ),
        )
        .unwrap();
        let e = &events_of(&yen).unwrap()[0];
        assert_eq!(
            (e.currency.code(), e.gross_minor, e.net_minor, e.fees_minor),
            ("JPY", 1200, 1100, 100)
        );
        let e = events_of(&payment(r#""total":49.999"#)).unwrap_err();
        assert!(
            e.contains("pay_9xB2kLmN3pQrSt") && e.contains("total") && e.contains("more decimals"),
            "{e}"
        );
        assert!(events_of(&payment(r#""total":"49.99""#)).is_err());
        assert!(events_of(&payment(r#""amount_after_fees":50.0"#)).is_err());
        assert!(events_of(&payment(r#""refunded_amount":60.0"#)).is_err());
    }

    #[test]
    fn payments_that_moved_no_money_make_no_event_and_unknown_statuses_are_refused() {
        for status in NO_MONEY {
            assert!(
                events_of(&payment(&format!(r#""status":"{status}""#)))
                    .unwrap()
                    .is_empty(),
                "{status}"
            );
        }
        assert!(events_of(&payment(r#""status":null"#)).unwrap().is_empty());
        assert!(events_of(&payment(r#""total":0.0"#)).unwrap().is_empty());
        assert!(events_of(&payment(r#""status":"captured""#))
            .unwrap_err()
            .contains("captured"));
        assert!(events_of(&payment(r#""currency":"zzz""#)).is_err());
    }
}
