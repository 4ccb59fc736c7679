//! One charge as the Stripe stand-in stores it (contract §3.5): its amount in the charge currency's
//! minor units (JPY has none), the currency it settles in and at what rate, its refunds and its
//! dispute. The balance transactions — what reached the balance, in the settlement currency, with
//! Stripe's fee — are derived from these, so they always agree with the charge.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::money;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChargeStatus {
    Succeeded,
    Pending,
    Failed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeStatus {
    NeedsResponse,
    UnderReview,
    Won,
    Lost,
}

impl DisputeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DisputeStatus::NeedsResponse => "needs_response",
            DisputeStatus::UnderReview => "under_review",
            DisputeStatus::Won => "won",
            DisputeStatus::Lost => "lost",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandInRefund {
    /// `re_…`; empty lets the store choose.
    pub id: String,
    /// In the charge currency's minor units.
    pub amount: i64,
    #[serde(with = "crate::time_serde")]
    pub created: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandInDispute {
    /// `dp_…`; empty lets the store choose.
    pub id: String,
    /// In the charge currency's minor units (the whole charge, as card networks dispute).
    pub amount: i64,
    pub status: DisputeStatus,
    #[serde(with = "crate::time_serde")]
    pub created: DateTime<Utc>,
}

/// Stripe's dispute fee, in the settlement currency's minor units (15.00; ¥2,000).
pub(crate) fn dispute_fee(settlement_exponent: u32) -> i64 {
    if settlement_exponent == 0 {
        2000
    } else {
        1500
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandInCharge {
    /// `ch_…`; empty lets the store choose (and names the balance transaction and payment intent).
    pub id: String,
    #[serde(with = "crate::time_serde")]
    pub created: DateTime<Utc>,
    /// In the charge currency's minor units.
    pub amount: i64,
    /// Lowercase, as Stripe writes it.
    pub currency: String,
    /// Lowercase; the same as `currency` unless the account has no balance in it.
    pub settlement_currency: String,
    /// Settlement minor units per 10,000 charge minor units (10,000 when the currencies are one).
    pub settlement_per_10000: i64,
    pub status: ChargeStatus,
    pub description: String,
    pub email: String,
    pub customer: String,
    /// ISO 3166-1 alpha-2, the card's billing country.
    pub country: Option<String>,
    pub refunds: Vec<StandInRefund>,
    pub dispute: Option<StandInDispute>,
}

impl StandInCharge {
    /// A succeeded USD charge of `amount` cents.
    pub fn new(created: DateTime<Utc>, description: &str, amount: i64) -> Self {
        Self {
            id: String::new(),
            created,
            amount,
            currency: "usd".into(),
            settlement_currency: "usd".into(),
            settlement_per_10000: 10_000,
            status: ChargeStatus::Succeeded,
            description: description.to_owned(),
            email: "buyer@example.com".into(),
            customer: "cus_StandInBuyer".into(),
            country: Some("US".into()),
            refunds: Vec::new(),
            dispute: None,
        }
    }

    /// In another currency, settled in the same one.
    pub fn in_currency(mut self, code: &str) -> Self {
        self.currency = code.to_ascii_lowercase();
        self.settlement_currency = self.currency.clone();
        self.settlement_per_10000 = 10_000;
        self
    }

    /// Settled in another currency at `per_10000` settlement minor units per 10,000 charge ones.
    pub fn settled_in(mut self, code: &str, per_10000: i64) -> Self {
        self.settlement_currency = code.to_ascii_lowercase();
        self.settlement_per_10000 = per_10000.max(1);
        self
    }

    pub fn status(mut self, status: ChargeStatus) -> Self {
        self.status = status;
        self
    }

    pub fn email(mut self, email: &str) -> Self {
        self.email = email.to_owned();
        self
    }

    /// Whether the charge's balance transaction exists (money moved or is moving).
    pub fn has_balance_transaction(&self) -> bool {
        self.status != ChargeStatus::Failed
    }

    pub fn amount_refunded(&self) -> i64 {
        self.refunds.iter().map(|r| r.amount).sum()
    }

    pub fn refunded(&self) -> bool {
        self.amount > 0 && self.amount_refunded() >= self.amount
    }

    /// An amount of the charge currency in the settlement currency, rounded half up.
    pub fn settle(&self, amount: i64) -> i64 {
        money::mul_div_round(amount, self.settlement_per_10000, 10_000)
    }

    fn settlement_exponent(&self) -> u32 {
        money::currency(&self.settlement_currency).exponent
    }

    /// Stripe's processing fee on the settled amount: 2.9% + 0.30, or 3.6% in a zero-decimal
    /// currency; another 1% when the charge is converted.
    pub fn fee(&self) -> i64 {
        let settled = self.settle(self.amount);
        let mut fee = if self.settlement_exponent() == 0 {
            money::mul_div_round(settled, 36, 1000)
        } else {
            money::mul_div_round(settled, 29, 1000) + 30
        };
        if self.currency != self.settlement_currency {
            fee += money::mul_div_round(settled, 1, 100);
        }
        fee.min(settled)
    }

    /// What the charge put in the balance: (amount, fee, net) in the settlement currency.
    pub fn balance(&self) -> (i64, i64, i64) {
        let amount = self.settle(self.amount);
        let fee = self.fee();
        (amount, fee, amount - fee)
    }

    /// The balance transactions of the dispute, oldest first: the withdrawal with its fee, and the
    /// reinstatement when the dispute was won. (amount, fee) in the settlement currency.
    pub fn dispute_balance(&self) -> Vec<(i64, i64)> {
        let Some(d) = &self.dispute else {
            return Vec::new();
        };
        let withdrawn = self.settle(d.amount);
        let mut lines = vec![(-withdrawn, dispute_fee(self.settlement_exponent()))];
        if d.status == DisputeStatus::Won {
            lines.push((withdrawn, 0));
        }
        lines
    }

    /// The newest instant anything on the charge happened (Stripe has no `updated`; tests use it).
    pub fn last_change(&self) -> DateTime<Utc> {
        let refunds = self.refunds.iter().map(|r| r.created);
        let dispute = self.dispute.iter().map(|d| d.created);
        refunds.chain(dispute).fold(self.created, DateTime::max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_balance_is_in_the_settlement_currency_with_the_fee_taken() {
        let at = Utc.with_ymd_and_hms(2026, 5, 1, 14, 3, 11).unwrap();
        let usd = StandInCharge::new(at, "Ebook", 2000);
        assert_eq!(usd.balance(), (2000, 88, 1912), "the contract's example");
        let yen = StandInCharge::new(at, "Ebook", 3000).in_currency("jpy");
        assert_eq!(yen.balance(), (3000, 108, 2892));
        let gbp = StandInCharge::new(at, "Ebook", 1000)
            .in_currency("gbp")
            .settled_in("usd", 12_700);
        assert_eq!(gbp.balance(), (1270, 37 + 30 + 13, 1270 - 80));
    }

    #[test]
    fn a_won_dispute_gives_the_money_back_but_not_the_fee() {
        let at = Utc.with_ymd_and_hms(2026, 5, 1, 0, 0, 0).unwrap();
        let mut c = StandInCharge::new(at, "Course", 9900);
        c.dispute = Some(StandInDispute {
            id: "dp_1".into(),
            amount: 9900,
            status: DisputeStatus::Won,
            created: at,
        });
        assert_eq!(c.dispute_balance(), vec![(-9900, 1500), (9900, 0)]);
    }
}
