//! A Gumroad sale as `GET /v2/sales` returns it, and the ledger events it makes — the same events,
//! with the same external ids, as a row of Gumroad's sales export (the `gumroad-sales` preset): the
//! sale under its Purchase ID, a refund as `<id>:refund` and a lost dispute as `<id>:chargeback`, all
//! in USD cents, which is what `price` and `gumroad_fee` are whatever the product's currency (§1.4).
//! Nil keys are left out of the JSON, so every flag is optional.

use serde::Deserialize;
use tributary_model::{parse_minor, Currency, EventKind, NewEvent, UtcInstant};

#[derive(Deserialize)]
pub struct SalesAnswer {
    pub success: bool,
    #[serde(default)]
    pub sales: Vec<Sale>,
    pub next_page_key: Option<String>,
    pub message: Option<String>,
}

#[derive(Deserialize)]
pub struct Sale {
    pub id: String,
    pub created_at: String,
    pub price: i64,
    #[serde(default)]
    pub gumroad_fee: i64,
    pub currency: Option<String>,
    pub product_id: Option<String>,
    pub product_name: Option<String>,
    pub email: Option<String>,
    pub quantity: Option<i64>,
    pub refunded: Option<bool>,
    pub partially_refunded: Option<bool>,
    pub amount_refundable_in_currency: Option<String>,
    pub formatted_display_price: Option<String>,
    pub disputed: Option<bool>,
    pub chargedback: Option<bool>,
    pub dispute_won: Option<bool>,
}

impl Sale {
    pub fn occurred_at(&self) -> Result<UtcInstant, String> {
        UtcInstant::parse_rfc3339(&self.created_at)
            .map_err(|e| format!("sale {}: created_at \"{}\": {e}", self.id, self.created_at))
    }

    /// The sale's events, pushed in order: the sale, then its refund and chargeback when it has them.
    pub fn events(&self, account: &str, out: &mut Vec<NewEvent>) -> Result<(), String> {
        let usd = Currency::from_code("USD").map_err(|e| e.to_string())?;
        let quantity = self.quantity.unwrap_or(1);
        let sale = NewEvent {
            platform: "gumroad".into(),
            account: account.to_string(),
            external_id: self.id.clone(),
            kind: EventKind::Sale,
            occurred_at: self.occurred_at()?,
            product_id: self.product_id.clone().filter(|s| !s.is_empty()),
            product_name: self.product_name.clone().filter(|s| !s.is_empty()),
            quantity,
            currency: usd,
            gross_minor: self.price,
            fees_minor: self.gumroad_fee,
            net_minor: self.price - self.gumroad_fee,
            buyer_email: self.email.clone().filter(|s| !s.is_empty()),
            country: None,
            raw: None,
            source_line: None,
            settlement: None,
        };
        let refunded = self.refunded_cents()?;
        let lost = self.disputed.unwrap_or(false) || self.chargedback.unwrap_or(false);
        let chargeback = if lost && !self.dispute_won.unwrap_or(false) {
            self.price
        } else {
            0
        };
        out.push(sale.clone());
        if refunded != 0 {
            out.push(sale.taken_back(EventKind::Refund, refunded, sale.occurred_at));
        }
        if chargeback != 0 {
            out.push(sale.taken_back(EventKind::Chargeback, chargeback, sale.occurred_at));
        }
        Ok(())
    }

    /// USD cents refunded: the whole price for a refund, and for a partial one the part no longer
    /// refundable. `amount_refundable_in_currency` is in the display currency, so outside USD the
    /// share refunded is taken from it and the displayed price, and applied to the USD price.
    fn refunded_cents(&self) -> Result<i64, String> {
        if self.refunded.unwrap_or(false) {
            return Ok(self.price);
        }
        if !self.partially_refunded.unwrap_or(false) {
            return Ok(0);
        }
        let code = self
            .currency
            .as_deref()
            .unwrap_or("usd")
            .to_ascii_uppercase();
        let currency = Currency::from_code(&code).map_err(|e| format!("sale {}: {e}", self.id))?;
        let unreadable = |what: &str| {
            format!(
                "sale {} is partly refunded but its {what} cannot be read as {code}",
                self.id
            )
        };
        let refundable = self
            .amount_refundable_in_currency
            .as_deref()
            .and_then(|t| display_amount(t, currency))
            .ok_or_else(|| unreadable("amount_refundable_in_currency"))?;
        if code == "USD" {
            return Ok((self.price - refundable).max(0));
        }
        let displayed = self
            .formatted_display_price
            .as_deref()
            .and_then(|t| display_amount(t, currency))
            .filter(|d| *d > 0)
            .ok_or_else(|| unreadable("formatted_display_price"))?;
        let kept = i128::from(self.price) * i128::from(refundable.min(displayed));
        // Rounded to the nearest cent, halves up.
        let kept = (kept * 2 + i128::from(displayed)) / (2 * i128::from(displayed));
        Ok(self.price - i64::try_from(kept).unwrap_or(self.price))
    }
}

/// Minor units of an amount Gumroad formats for display ("€1,250.50", "4,500"): the symbol and
/// thousands separators dropped, the decimal point kept.
fn display_amount(text: &str, currency: Currency) -> Option<i64> {
    let digits: String = text
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    parse_minor(&digits, currency.exponent()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sale(json: &str) -> Sale {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_sale_its_partial_refund_and_lost_dispute_are_the_exports_events() {
        let s = sale(
            r#"{"id":"B28U==","created_at":"2021-01-05T19:38:56Z","price":1000,"gumroad_fee":150,
            "currency":"usd","quantity":2,"partially_refunded":true,"amount_refundable_in_currency":"7.5",
            "disputed":true,"product_name":"Pencil Icon PSD"}"#,
        );
        let mut events = Vec::new();
        s.events("main", &mut events).unwrap();
        let ids: Vec<_> = events
            .iter()
            .map(|e| {
                (
                    e.external_id.as_str(),
                    e.gross_minor,
                    e.net_minor,
                    e.quantity,
                )
            })
            .collect();
        assert_eq!(
            ids,
            [
                ("B28U==", 1000, 850, 2),
                ("B28U==:refund", -250, -250, 0),
                ("B28U==:chargeback", -1000, -1000, -2)
            ]
        );
        assert!(events.iter().all(|e| e.currency.code() == "USD"));
    }

    #[test]
    fn a_won_dispute_takes_nothing_and_a_full_refund_everything() {
        let s = sale(
            r#"{"id":"x","created_at":"2021-01-05T19:38:56Z","price":500,"gumroad_fee":50,
            "refunded":true,"disputed":true,"dispute_won":true}"#,
        );
        let mut events = Vec::new();
        s.events("main", &mut events).unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!(
            (events[1].kind, events[1].gross_minor, events[1].quantity),
            (EventKind::Refund, -500, -1)
        );
    }

    #[test]
    fn a_partial_refund_in_another_currency_takes_its_share_of_the_usd_price() {
        // Displayed at €20, €5 still refundable: three quarters refunded, of $21.80.
        let s = sale(
            r#"{"id":"e","created_at":"2021-01-05T19:38:56Z","price":2180,"gumroad_fee":0,
            "currency":"eur","formatted_display_price":"€20","partially_refunded":true,
            "amount_refundable_in_currency":"5"}"#,
        );
        assert_eq!(s.refunded_cents().unwrap(), 1635);
        let thousands = sale(
            r#"{"id":"t","created_at":"2021-01-05T19:38:56Z","price":500000,"gumroad_fee":0,
            "currency":"usd","partially_refunded":true,"amount_refundable_in_currency":"4,500"}"#,
        );
        assert_eq!(thousands.refunded_cents().unwrap(), 50000);
        let broken = sale(
            r#"{"id":"f","created_at":"2021-01-05T19:38:56Z","price":100,"currency":"eur",
            "partially_refunded":true,"amount_refundable_in_currency":"x"}"#,
        );
        assert!(broken
            .refunded_cents()
            .unwrap_err()
            .contains("sale f is partly refunded"));
    }
}
