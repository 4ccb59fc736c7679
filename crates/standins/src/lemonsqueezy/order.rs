//! One order as the Lemon Squeezy stand-in stores it (contract §4.2): amounts in the order
//! currency's minor units (`subtotal`, `discount_total`, `tax`, `refunded_amount`; `total` derived),
//! the `_usd` twins derived at the order's own rate, the currency UPPERCASE.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::money;

/// Where the payment stands, before refunds (`refunded` and `partial_refund` follow from
/// `refunded_amount`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Payment {
    Paid,
    Pending,
    Failed,
    Fraudulent,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandInOrder {
    /// The order's id (`"id":"1"` in JSON:API, a string there). 0 lets the store choose.
    pub id: u64,
    /// The store's running number. 0 lets the store choose.
    pub order_number: u64,
    pub store_id: u64,
    pub customer_id: u64,
    /// A UUID-looking identifier; empty lets the store derive one.
    pub identifier: String,
    pub user_name: String,
    pub user_email: String,
    /// UPPERCASE (`USD`, `EUR`).
    pub currency: String,
    /// Order-currency minor units per 100 USD cents: the `_usd` twins are amounts × 100 / this.
    pub per_100_usd_cents: i64,
    pub subtotal: i64,
    pub discount_total: i64,
    pub tax: i64,
    pub tax_name: Option<String>,
    /// Basis points: 2000 is `"20.00"`.
    pub tax_rate_bp: u32,
    pub refunded_amount: i64,
    #[serde(with = "crate::time_serde::option", default)]
    pub refunded_at: Option<DateTime<Utc>>,
    pub payment: Payment,
    pub product_id: u64,
    pub variant_id: u64,
    pub product_name: String,
    pub variant_name: String,
    pub quantity: u32,
    #[serde(with = "crate::time_serde")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "crate::time_serde")]
    pub updated_at: DateTime<Utc>,
    pub test_mode: bool,
}

impl StandInOrder {
    /// A paid USD order of `subtotal` cents, no tax or discount, one item.
    pub fn new(created_at: DateTime<Utc>, product_name: &str, subtotal: i64) -> Self {
        Self {
            id: 0,
            order_number: 0,
            store_id: 1,
            customer_id: 1,
            identifier: String::new(),
            user_name: "Stand-in Buyer".into(),
            user_email: "buyer@example.com".into(),
            currency: "USD".into(),
            per_100_usd_cents: 100,
            subtotal,
            discount_total: 0,
            tax: 0,
            tax_name: None,
            tax_rate_bp: 0,
            refunded_amount: 0,
            refunded_at: None,
            payment: Payment::Paid,
            product_id: 1,
            variant_id: 1,
            product_name: product_name.to_owned(),
            variant_name: "Default".into(),
            quantity: 1,
            created_at,
            updated_at: created_at,
            test_mode: false,
        }
    }

    /// In another currency, at the stand-ins' made-up rate; amounts stay as given (in its minor
    /// units).
    pub fn in_currency(mut self, code: &str) -> Self {
        self.currency = code.to_ascii_uppercase();
        self.per_100_usd_cents = money::currency(code).per_100_usd_cents;
        self
    }

    /// Tax on top of the subtotal less the discount (`tax_inclusive: false`), rounded half up.
    pub fn taxed(mut self, name: &str, rate_bp: u32) -> Self {
        self.tax_name = Some(name.to_owned());
        self.tax_rate_bp = rate_bp;
        self.tax = money::mul_div_round(
            self.subtotal - self.discount_total,
            i64::from(rate_bp),
            10_000,
        );
        self
    }

    pub fn discounted(mut self, discount_total: i64) -> Self {
        self.discount_total = discount_total.clamp(0, self.subtotal);
        self
    }

    pub fn email(mut self, email: &str) -> Self {
        self.user_email = email.to_owned();
        self
    }

    pub fn payment(mut self, payment: Payment) -> Self {
        self.payment = payment;
        self
    }

    pub fn refunded_by(mut self, amount: i64) -> Self {
        self.refunded_amount = amount.clamp(0, self.total());
        if self.refunded_amount > 0 {
            self.refunded_at = Some(self.created_at);
        }
        self
    }

    /// `subtotal − discount_total + tax` (no setup fees here).
    pub fn total(&self) -> i64 {
        self.subtotal - self.discount_total + self.tax
    }

    /// An amount of this order in USD cents, as its `_usd` twin shows it.
    pub fn usd(&self, amount: i64) -> i64 {
        money::mul_div_round(amount, 100, self.per_100_usd_cents.max(1))
    }

    /// `paid`, `refunded`, `partial_refund`, `pending`, `failed` or `fraudulent`.
    pub fn status(&self) -> &'static str {
        match self.payment {
            Payment::Pending => "pending",
            Payment::Failed => "failed",
            Payment::Fraudulent => "fraudulent",
            Payment::Paid if self.refunded_amount >= self.total() && self.total() > 0 => "refunded",
            Payment::Paid if self.refunded_amount > 0 => "partial_refund",
            Payment::Paid => "paid",
        }
    }

    pub fn is_refunded(&self) -> bool {
        self.status() == "refunded"
    }
}
