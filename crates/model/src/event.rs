//! The normalized money event: what every importer and connector produces and the ledger stores.

use crate::{Currency, UtcInstant};
use std::fmt;
use std::str::FromStr;

/// What happened to the money. Stored and exchanged as the lowercase names below.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    Sale,
    Refund,
    Chargeback,
    SubscriptionPayment,
    Royalty,
    /// KDP pages read: `quantity` is pages, money is usually zero.
    KenpRead,
    /// Money moved from the platform to the creator's bank: not income, so reports leave it out.
    Payout,
    Fee,
    Adjustment,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not an event kind (sale, refund, chargeback, subscription_payment, royalty, kenp_read, payout, fee, adjustment)")]
pub struct UnknownKind(pub String);

impl EventKind {
    pub const ALL: [EventKind; 9] = [
        EventKind::Sale,
        EventKind::Refund,
        EventKind::Chargeback,
        EventKind::SubscriptionPayment,
        EventKind::Royalty,
        EventKind::KenpRead,
        EventKind::Payout,
        EventKind::Fee,
        EventKind::Adjustment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Sale => "sale",
            EventKind::Refund => "refund",
            EventKind::Chargeback => "chargeback",
            EventKind::SubscriptionPayment => "subscription_payment",
            EventKind::Royalty => "royalty",
            EventKind::KenpRead => "kenp_read",
            EventKind::Payout => "payout",
            EventKind::Fee => "fee",
            EventKind::Adjustment => "adjustment",
        }
    }

    /// Whether the event is income (or its reversal) and so belongs in revenue reports.
    pub fn is_revenue(self) -> bool {
        self != EventKind::Payout
    }

    /// Whether `quantity` counts units sold (or returned), as opposed to pages read or nothing.
    pub fn counts_units(self) -> bool {
        matches!(
            self,
            EventKind::Sale
                | EventKind::Refund
                | EventKind::Chargeback
                | EventKind::SubscriptionPayment
                | EventKind::Royalty
        )
    }

    /// Whether the event takes money back from the creator after a sale.
    pub fn is_reversal(self) -> bool {
        matches!(self, EventKind::Refund | EventKind::Chargeback)
    }
}

impl FromStr for EventKind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        EventKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(t))
            .ok_or_else(|| UnknownKind(t.to_string()))
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One money event from a file or a platform, normalized, before it is stored.
///
/// Identity is (`platform`, `account`, `external_id`): the ledger stores each identity once, counts an
/// identical repeat as a duplicate and a changed one as an update.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEvent {
    pub platform: String,
    pub account: String,
    pub external_id: String,
    pub kind: EventKind,
    pub occurred_at: UtcInstant,
    pub product_id: Option<String>,
    pub product_name: Option<String>,
    pub quantity: i64,
    pub currency: Currency,
    pub gross_minor: i64,
    pub fees_minor: i64,
    pub net_minor: i64,
    pub buyer_email: Option<String>,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: Option<String>,
    /// Source fields the ledger has no column for, as a JSON object, kept for provenance.
    pub raw: Option<String>,
    /// Line in the source file where the event starts (1-based), when it came from a file.
    pub source_line: Option<u64>,
    /// For platforms that first report estimates and later settle a whole period with final figures
    /// (KDP: a month in one marketplace): which period the event belongs to and whether it is an estimate.
    pub settlement: Option<Settlement>,
}

impl NewEvent {
    /// The event that takes `amount` of this sale back (a refund, a lost dispute), as every source
    /// books it so that a file and an API give the same event: `<id>:refund` or `<id>:chargeback`,
    /// negative money, no fee of its own (platforms keep the sale's fee), its units back only when the
    /// whole sale is.
    pub fn taken_back(&self, kind: EventKind, amount: i64, at: UtcInstant) -> NewEvent {
        let amount = amount.abs();
        NewEvent {
            external_id: format!("{}:{}", self.external_id, kind.as_str()),
            kind,
            occurred_at: at,
            quantity: if amount == self.gross_minor.abs() {
                -self.quantity
            } else {
                0
            },
            gross_minor: -amount,
            fees_minor: 0,
            net_minor: -amount,
            ..self.clone()
        }
    }
}

/// An event's place in a period that a platform settles as a whole. Once any final event of a period is
/// in the ledger, the period's estimates stop counting in reports (they stay stored, and count again if
/// the finals are undone), so importing estimates and finals in either order gives the final figures.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Settlement {
    /// The period's key within the event's (platform, account), like `2026-03 Amazon.com`.
    pub period: String,
    /// True for an estimate that the period's final figures replace.
    pub estimated: bool,
}

/// A row of a file (or an item of a response) that could not be turned into an event, with where and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RowError {
    /// 1-based line in the file where the row starts.
    pub line: Option<u64>,
    /// The column (by its header name) that was wrong, when one was.
    pub column: Option<String>,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}")?;
            if self.column.is_some() {
                f.write_str(", ")?;
            }
        }
        if let Some(column) = &self.column {
            write!(f, "column {column}")?;
        }
        if self.line.is_some() || self.column.is_some() {
            f.write_str(": ")?;
        }
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in EventKind::ALL {
            assert_eq!(kind.as_str().parse::<EventKind>(), Ok(kind));
        }
        assert_eq!("SALE".parse::<EventKind>(), Ok(EventKind::Sale));
        assert!("purchase".parse::<EventKind>().is_err());
    }

    #[test]
    fn payouts_are_not_revenue_and_pages_are_not_units() {
        assert!(!EventKind::Payout.is_revenue());
        assert!(EventKind::Refund.is_revenue());
        assert!(!EventKind::KenpRead.counts_units());
        assert!(EventKind::Sale.counts_units());
    }
}
