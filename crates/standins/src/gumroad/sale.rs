//! One sale as the Gumroad stand-in stores it: what Gumroad's `purchases` row would hold that the
//! API shows, with money in USD cents (`price_cents`, `gumroad_fee_cents`, `refunded_cents`) beside
//! the display currency's own price. Its JSON is made in `json.rs`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids;
use crate::money;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandInSale {
    /// The internal id: orders sales of the same second (`created_at DESC, id DESC`), and is behind
    /// `order_id` and the `page_key`. 0 lets the store choose one when the sale is added.
    pub number: u64,
    /// The external id (`B28UKN-dvxYabdavG97Y-Q==`). Empty lets the store derive it from `number`.
    pub id: String,
    /// Whole seconds, as the API shows them (sub-seconds are kept and show only in a `page_key`).
    #[serde(with = "crate::time_serde")]
    pub created_at: DateTime<Utc>,
    pub product_name: String,
    pub product_id: String,
    pub product_permalink: String,
    pub email: String,
    pub full_name: Option<String>,
    /// The display currency, lowercase (`usd`, `eur`, `gbp`, `jpy`…).
    pub currency: String,
    /// The price in the display currency's minor units (yen for `jpy`).
    pub display_price_minor: i64,
    /// `price`: USD cents, whatever the display currency; for the whole quantity.
    pub price_cents: i64,
    /// `gumroad_fee`: USD cents.
    pub gumroad_fee_cents: i64,
    pub quantity: u32,
    pub discover_fee_charged: bool,
    /// USD cents refunded so far: 0, part of the price (`partially_refunded`) or all of it
    /// (`refunded`).
    pub refunded_cents: i64,
    /// A chargeback was opened (`disputed`); `dispute_won`: it was reversed. `chargedback` in the API
    /// is `disputed && !dispute_won`.
    pub disputed: bool,
    pub dispute_won: bool,
    pub referrer: String,
}

/// Gumroad's fee on a direct sale: 10% + 50¢ (30% when it came through Discover), never more than
/// the price.
pub fn default_fee(price_cents: i64, discover: bool) -> i64 {
    if price_cents <= 0 {
        return 0;
    }
    let fee = if discover {
        money::mul_div_round(price_cents, 30, 100)
    } else {
        money::mul_div_round(price_cents, 10, 100) + 50
    };
    fee.min(price_cents)
}

impl StandInSale {
    /// A USD sale of `price_cents` with the default fee, quantity 1 and a made-up buyer; the store
    /// gives it its number and id when it is added.
    pub fn new(created_at: DateTime<Utc>, product_name: &str, price_cents: i64) -> Self {
        Self {
            number: 0,
            id: String::new(),
            created_at,
            product_name: product_name.to_owned(),
            product_id: ids::product_id(product_name),
            product_permalink: ids::permalink(product_name),
            email: "buyer@example.com".into(),
            full_name: None,
            currency: "usd".into(),
            display_price_minor: price_cents,
            price_cents,
            gumroad_fee_cents: default_fee(price_cents, false),
            quantity: 1,
            discover_fee_charged: false,
            refunded_cents: 0,
            disputed: false,
            dispute_won: false,
            referrer: "direct".into(),
        }
    }

    /// Shown in another currency; `price_cents` stays the USD amount.
    pub fn in_currency(mut self, code: &str, display_price_minor: i64) -> Self {
        self.currency = code.to_ascii_lowercase();
        self.display_price_minor = display_price_minor;
        self
    }

    pub fn quantity(mut self, quantity: u32) -> Self {
        self.quantity = quantity;
        self
    }

    pub fn email(mut self, email: &str) -> Self {
        self.email = email.to_owned();
        self
    }

    pub fn fee(mut self, gumroad_fee_cents: i64) -> Self {
        self.gumroad_fee_cents = gumroad_fee_cents;
        self
    }

    /// Refunded by `cents` (USD); the price or more makes it a full refund.
    pub fn refunded_by(mut self, cents: i64) -> Self {
        self.refunded_cents = cents.clamp(0, self.price_cents);
        self
    }

    pub fn chargedback(mut self) -> Self {
        self.disputed = true;
        self.dispute_won = false;
        self
    }

    pub fn dispute_won(mut self) -> Self {
        self.disputed = true;
        self.dispute_won = true;
        self
    }

    /// `refunded: true` in the API.
    pub fn is_refunded(&self) -> bool {
        self.price_cents > 0 && self.refunded_cents >= self.price_cents
    }

    /// `partially_refunded: true` in the API.
    pub fn is_partially_refunded(&self) -> bool {
        self.refunded_cents > 0 && self.refunded_cents < self.price_cents
    }

    /// `chargedback: true` in the API: disputed and not won.
    pub fn is_chargedback(&self) -> bool {
        self.disputed && !self.dispute_won
    }

    /// What is left to refund, in the display currency's minor units, converted at this sale's own
    /// rate (display price / USD price), as `amount_refundable_in_currency` shows it.
    pub fn refundable_display_minor(&self) -> i64 {
        let left = self.price_cents - self.refunded_cents;
        if self.price_cents == 0 {
            return 0;
        }
        money::mul_div_round(left, self.display_price_minor, self.price_cents)
    }

    /// `amount_refundable_in_currency`: `"10"`, `"4.50"`, `"4,500"` (yen).
    pub fn amount_refundable_in_currency(&self, thousands: bool) -> String {
        let c = money::currency(&self.currency);
        money::format_amount(self.refundable_display_minor(), c.exponent, thousands)
    }
}
