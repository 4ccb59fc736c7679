//! A Lemon Squeezy order as `GET /v1/orders` returns it (JSON:API, contract §4.2), and the ledger
//! events it makes — the same events, with the same external ids, as a row of the orders export (the
//! `lemonsqueezy-orders` preset): the order under its `identifier`, gross = net = `total` in the
//! order currency's minor units (the order carries no fee), a refund as `<identifier>:refund` of
//! `refunded_amount` (the whole total for a refunded order that gives no amount). Orders whose money
//! never moved (`pending`, `failed`, `fraudulent`) make no event.

use serde::Deserialize;
use tributary_model::{Currency, EventKind, NewEvent, UtcInstant};

#[derive(Deserialize)]
pub struct OrdersDocument {
    #[serde(default)]
    pub data: Vec<OrderResource>,
    #[serde(default)]
    pub links: Links,
}

#[derive(Default, Deserialize)]
pub struct Links {
    pub next: Option<String>,
}

#[derive(Deserialize)]
pub struct OrderResource {
    pub id: String,
    pub attributes: Order,
}

#[derive(Deserialize)]
pub struct Order {
    pub identifier: String,
    pub currency: String,
    pub total: i64,
    #[serde(default)]
    pub refunded_amount: i64,
    pub status: String,
    #[serde(default)]
    pub refunded: bool,
    pub refunded_at: Option<String>,
    pub user_email: Option<String>,
    pub first_order_item: Option<FirstItem>,
    pub created_at: String,
}

#[derive(Deserialize)]
pub struct FirstItem {
    pub product_id: Option<u64>,
    pub product_name: Option<String>,
    pub quantity: Option<i64>,
}

/// The statuses of orders that moved no money.
const UNPAID: [&str; 3] = ["pending", "failed", "fraudulent"];

impl OrderResource {
    pub fn created_at(&self) -> Result<UtcInstant, String> {
        instant(&self.id, "created_at", &self.attributes.created_at)
    }

    /// The order's events, pushed in order: the sale, then its refund when it has one.
    pub fn events(&self, account: &str, out: &mut Vec<NewEvent>) -> Result<(), String> {
        let o = &self.attributes;
        if UNPAID.contains(&o.status.to_ascii_lowercase().as_str()) {
            return Ok(());
        }
        let currency = Currency::from_code(&o.currency.to_ascii_uppercase())
            .map_err(|e| format!("order {}: currency \"{}\": {e}", self.id, o.currency))?;
        let occurred_at = self.created_at()?;
        let item = o.first_order_item.as_ref();
        let sale = NewEvent {
            platform: "lemonsqueezy".into(),
            account: account.to_string(),
            external_id: o.identifier.clone(),
            kind: EventKind::Sale,
            occurred_at,
            product_id: item.and_then(|i| i.product_id).map(|id| id.to_string()),
            product_name: item
                .and_then(|i| i.product_name.clone())
                .filter(|s| !s.is_empty()),
            quantity: item.and_then(|i| i.quantity).unwrap_or(1),
            currency,
            gross_minor: o.total,
            fees_minor: 0,
            net_minor: o.total,
            buyer_email: o.user_email.clone().filter(|s| !s.is_empty()),
            country: None,
            raw: None,
            source_line: None,
            settlement: None,
        };
        let refunded = match o.refunded_amount {
            0 if o.refunded => o.total,
            amount => amount,
        };
        let refunded_at = match o.refunded_at.as_deref().filter(|t| !t.is_empty()) {
            Some(text) => instant(&self.id, "refunded_at", text)?,
            None => occurred_at,
        };
        out.push(sale.clone());
        if refunded != 0 {
            out.push(sale.taken_back(EventKind::Refund, refunded, refunded_at));
        }
        Ok(())
    }
}

/// `2021-08-17T09:45:53.000000Z`: microseconds, of which the ledger keeps the milliseconds (cut, not
/// rounded, as the file importers do, so both ways give the same instant).
fn instant(id: &str, field: &str, text: &str) -> Result<UtcInstant, String> {
    chrono::DateTime::parse_from_rfc3339(text.trim())
        .map(|t| UtcInstant::from_millis(t.timestamp_millis()))
        .map_err(|e| format!("order {id}: {field} \"{text}\" is not an RFC 3339 time ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(status: &str, refunded: bool, amount: i64) -> OrderResource {
        serde_json::from_value(serde_json::json!({
            "id": "7", "type": "orders",
            "attributes": {
                "identifier": "104e18a2-d755", "currency": "EUR", "total": 1104,
                "refunded_amount": amount, "status": status, "refunded": refunded,
                "refunded_at": if amount > 0 || refunded { serde_json::json!("2021-09-01T10:00:00.000000Z") } else { serde_json::Value::Null },
                "user_email": "jo@example.com",
                "first_order_item": { "product_id": 3, "product_name": "License", "quantity": 2 },
                "created_at": "2021-08-17T09:45:53.000000Z"
            }
        }))
        .unwrap()
    }

    fn events_of(o: &OrderResource) -> Vec<NewEvent> {
        let mut out = Vec::new();
        o.events("main", &mut out).unwrap();
        out
    }

    #[test]
    fn a_paid_order_is_one_sale_in_its_currency_with_no_fee() {
        let events = events_of(&order("paid", false, 0));
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
            ("104e18a2-d755", "EUR", 1104, 0, 1104)
        );
        assert_eq!((e.product_id.as_deref(), e.quantity), (Some("3"), 2));
    }

    #[test]
    fn refunds_whole_and_partial_are_taken_back_when_they_happened() {
        let partial = events_of(&order("partial_refund", false, 100));
        assert_eq!(partial.len(), 2);
        assert_eq!(
            (
                partial[1].external_id.as_str(),
                partial[1].gross_minor,
                partial[1].quantity
            ),
            ("104e18a2-d755:refund", -100, 0)
        );
        assert_eq!(partial[1].occurred_at.to_rfc3339(), "2021-09-01T10:00:00Z");
        // Refunded with no amount given: the whole total.
        let whole = events_of(&order("refunded", true, 0));
        assert_eq!((whole[1].gross_minor, whole[1].quantity), (-1104, -2));
    }

    #[test]
    fn orders_that_moved_no_money_make_no_event() {
        for status in ["pending", "failed", "fraudulent"] {
            assert!(events_of(&order(status, false, 0)).is_empty(), "{status}");
        }
    }

    #[test]
    fn microseconds_are_cut_to_the_millisecond() {
        let at = instant("1", "refunded_at", "2026-12-04T18:42:39.305869Z").unwrap();
        assert_eq!(at.to_rfc3339(), "2026-12-04T18:42:39.305Z");
        assert!(instant("1", "created_at", "yesterday").is_err());
    }
}
