//! One payment as the Whop stand-in stores it (contract §2.2–2.3): amounts in the currency's minor
//! units (`subtotal`, `tax_amount`, `fees`, `refunded_amount`; `total`, `amount_after_fees`,
//! `usd_total` and `substatus` derived), the currency lowercase, the status one of the seven
//! `ReceiptStatus` values. Refunds leave the status `paid` and show in `substatus`
//! (`refunded`/`partially_refunded`) and `refunded_amount` [I].

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::money;

/// `ReceiptStatus` (contract §2.2 `statuses[]`). Only `paid` moved money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Open,
    Paid,
    Pending,
    Uncollectible,
    Unresolved,
    Void,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Draft,
        Status::Open,
        Status::Paid,
        Status::Pending,
        Status::Uncollectible,
        Status::Unresolved,
        Status::Void,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Open => "open",
            Status::Paid => "paid",
            Status::Pending => "pending",
            Status::Uncollectible => "uncollectible",
            Status::Unresolved => "unresolved",
            Status::Void => "void",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandInPayment {
    /// `pay_` and 14 letters and digits; empty lets the store choose.
    pub id: String,
    pub status: Status,
    /// Lowercase (`usd`, `jpy`).
    pub currency: String,
    /// Minor units of `currency`, before tax.
    pub subtotal: i64,
    /// Sales tax or VAT on top of the subtotal (`tax_behavior: exclusive`), which Whop remits.
    pub tax_amount: i64,
    /// Whop's processing fees, in minor units; the payment's `amount_after_fees` is
    /// `total − fees − tax_amount` (the tax is remitted, a `sales_tax_remittance` fee line).
    pub fees: i64,
    pub refunded_amount: i64,
    #[serde(with = "crate::time_serde::option", default)]
    pub refunded_at: Option<DateTime<Utc>>,
    #[serde(with = "crate::time_serde")]
    pub created_at: DateTime<Utc>,
    /// When the money was taken (paid payments only).
    #[serde(with = "crate::time_serde::option", default)]
    pub paid_at: Option<DateTime<Utc>>,
    /// Moves whenever the payment changes (a refund).
    #[serde(with = "crate::time_serde")]
    pub updated_at: DateTime<Utc>,
    pub product_id: String,
    pub product_title: String,
    pub plan_id: String,
    /// `one_time`, `subscription_create`, `subscription_cycle`.
    pub billing_reason: String,
    pub user_id: String,
    pub user_name: String,
    pub username: String,
    pub user_email: String,
    pub card_brand: String,
    pub card_last4: String,
    /// A chargeback the buyer opened, and how it stands.
    #[serde(default)]
    pub dispute: Option<WhopDispute>,
}

/// How a payment's dispute stands, as its `substatus` says [I: `dispute_needs_response`,
/// `dispute_won`, `dispute_lost`; the contract names only the `dispute_` prefix].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeOutcome {
    NeedsResponse,
    Won,
    Lost,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhopDispute {
    pub outcome: DisputeOutcome,
    #[serde(with = "crate::time_serde")]
    pub alerted_at: DateTime<Utc>,
}

impl StandInPayment {
    /// A paid one-time USD payment of `subtotal` cents, no tax, Whop's fee (2.7% + 30¢) taken.
    pub fn new(created_at: DateTime<Utc>, product_title: &str, subtotal: i64) -> Self {
        let mut p = Self {
            id: String::new(),
            status: Status::Paid,
            currency: "usd".into(),
            subtotal,
            tax_amount: 0,
            fees: 0,
            refunded_amount: 0,
            refunded_at: None,
            created_at,
            paid_at: Some(created_at + Duration::seconds(1)),
            updated_at: created_at + Duration::seconds(1),
            product_id: "prod_AbC123dEf456Gh".into(),
            product_title: product_title.to_owned(),
            plan_id: "plan_Xy12Za34Bc56De".into(),
            billing_reason: "one_time".into(),
            user_id: "user_L9k8J7h6G5f4D3".into(),
            user_name: "Stand-in Buyer".into(),
            username: "buyer".into(),
            user_email: "buyer@example.com".into(),
            card_brand: "visa".into(),
            card_last4: "4242".into(),
            dispute: None,
        };
        p.fees = p.standard_fee();
        p
    }

    /// In another currency (amounts stay as given, in its minor units); the fee follows.
    pub fn in_currency(mut self, code: &str) -> Self {
        self.currency = code.to_ascii_lowercase();
        self.fees = self.standard_fee();
        self
    }

    /// Tax on top of the subtotal at `rate_bp` basis points, rounded half up; the fee follows.
    pub fn taxed(mut self, rate_bp: u32) -> Self {
        self.tax_amount = money::mul_div_round(self.subtotal, i64::from(rate_bp), 10_000);
        self.fees = self.standard_fee();
        self
    }

    pub fn with_fees(mut self, fees: i64) -> Self {
        self.fees = fees.clamp(0, self.total());
        self
    }

    pub fn email(mut self, email: &str) -> Self {
        self.user_email = email.to_owned();
        self
    }

    /// Another status; anything but `paid` moved no money, so it has no `paid_at`, fee or refund.
    pub fn status(mut self, status: Status) -> Self {
        self.status = status;
        if status != Status::Paid {
            self.paid_at = None;
            self.fees = 0;
            self.refunded_amount = 0;
            self.refunded_at = None;
            self.updated_at = self.created_at;
        }
        self
    }

    /// Refunded by `amount` an hour after it was paid (at most the total); paid payments only.
    pub fn refunded_by(mut self, amount: i64) -> Self {
        if self.status != Status::Paid {
            return self;
        }
        self.refunded_amount = amount.clamp(0, self.total());
        if self.refunded_amount > 0 {
            let at = self.paid_at.unwrap_or(self.created_at) + Duration::hours(1);
            self.refunded_at = Some(at);
            self.updated_at = self.updated_at.max(at);
        }
        self
    }

    /// 2.7% of the total plus 30 US cents in this currency, for a paid payment with money.
    fn standard_fee(&self) -> i64 {
        if self.status != Status::Paid || self.total() <= 0 {
            return 0;
        }
        let c = money::currency(&self.currency);
        let fee = money::mul_div_round(self.total(), 270, 10_000) + money::usd_to_display(30, &c);
        fee.min(self.total())
    }

    pub fn exponent(&self) -> u32 {
        money::currency(&self.currency).exponent
    }

    /// `subtotal + tax_amount` (tax on top).
    pub fn total(&self) -> i64 {
        self.subtotal + self.tax_amount
    }

    /// What the creator keeps: the total less Whop's fees and the tax it remits.
    pub fn amount_after_fees(&self) -> i64 {
        self.total() - self.fees - self.tax_amount
    }

    /// The total in US cents at the stand-ins' made-up rate.
    pub fn usd_total(&self) -> i64 {
        let c = money::currency(&self.currency);
        money::mul_div_round(self.total(), 100, c.per_100_usd_cents.max(1))
    }

    /// The `FriendlyReceiptStatus` [I: the mapping of the unpaid statuses].
    pub fn substatus(&self) -> &'static str {
        if let (Status::Paid, Some(d)) = (self.status, &self.dispute) {
            return match d.outcome {
                DisputeOutcome::NeedsResponse => "dispute_needs_response",
                DisputeOutcome::Won => "dispute_won",
                DisputeOutcome::Lost => "dispute_lost",
            };
        }
        match self.status {
            Status::Paid if self.refunded_amount >= self.total() && self.total() > 0 => "refunded",
            Status::Paid if self.refunded_amount > 0 => "partially_refunded",
            Status::Paid => "succeeded",
            Status::Draft => "drafted",
            Status::Open => "incomplete",
            Status::Pending => "pending",
            Status::Uncollectible => "uncollectible",
            Status::Unresolved => "unresolved",
            Status::Void => "canceled",
        }
    }

    /// Disputed `days` after it was paid (paid payments only), the outcome as given.
    pub fn disputed(mut self, outcome: DisputeOutcome, days: i64) -> Self {
        if self.status != Status::Paid {
            return self;
        }
        let at = self.paid_at.unwrap_or(self.created_at) + Duration::days(days);
        self.dispute = Some(WhopDispute {
            outcome,
            alerted_at: at,
        });
        self.updated_at = self.updated_at.max(at);
        self
    }

    /// What a dispute not won took: the total less what was already refunded.
    pub fn disputed_amount(&self) -> i64 {
        match &self.dispute {
            Some(d) if d.outcome != DisputeOutcome::Won && self.moved_money() => {
                self.total() - self.refunded_amount
            }
            _ => 0,
        }
    }

    /// Whether money moved: paid, with a total above zero.
    pub fn moved_money(&self) -> bool {
        self.status == Status::Paid && self.total() > 0
    }
}
