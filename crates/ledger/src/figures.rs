//! The money figures every report, series, preview and dashboard reads, named once:
//!
//! **Sales − Refunds − Chargebacks − Fees + Adjustments = Net**, per currency, exactly.
//!
//! - Sales: what buyers paid for sales, subscriptions and royalties (the events' gross).
//! - Refunds and Chargebacks: what refund and lost-dispute events took back (their gross, as a positive
//!   amount that is subtracted).
//! - Fees: the platform's and the processor's fees on every event, and fee events themselves.
//! - Adjustments: adjustment events, and whatever a platform's own net differs from gross − fees on a
//!   row (tax it withheld, say): the rest, so that the figures add up to the net the platforms paid.
//! - Net: what the creator keeps (the events' net).
//!
//! The rollups store Sales, Refunds, Chargebacks, Fees and Net (`SUM_COLUMNS`); Adjustments is read as
//! the rest. Payouts are transfers, not income: in no figure.

use tributary_model::EventKind;

/// The money of one event as the figures count it, before any sign of counting in or out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EventMoney {
    pub sales_minor: i64,
    pub refunds_minor: i64,
    pub chargebacks_minor: i64,
    pub fees_minor: i64,
    pub net_minor: i64,
}

impl EventMoney {
    /// Where an event's gross, fees and net go. Adjustments (net − gross + fees, and an adjustment's
    /// gross) are what is left, read back as the rest.
    pub fn of(kind: EventKind, gross_minor: i64, fees_minor: i64, net_minor: i64) -> EventMoney {
        let mut money = EventMoney {
            fees_minor,
            net_minor,
            ..EventMoney::default()
        };
        match kind {
            EventKind::Sale
            | EventKind::SubscriptionPayment
            | EventKind::Royalty
            | EventKind::KenpRead => money.sales_minor = gross_minor,
            EventKind::Refund => money.refunds_minor = -gross_minor,
            EventKind::Chargeback => money.chargebacks_minor = -gross_minor,
            // A fee event charges its amount: its (negative) gross is a fee.
            EventKind::Fee => money.fees_minor = fees_minor - gross_minor,
            EventKind::Adjustment | EventKind::Payout => {}
        }
        money
    }

    /// The money counted in (`sign` 1) or out (-1).
    pub(crate) fn times(self, sign: i64) -> EventMoney {
        EventMoney {
            sales_minor: sign * self.sales_minor,
            refunds_minor: sign * self.refunds_minor,
            chargebacks_minor: sign * self.chargebacks_minor,
            fees_minor: sign * self.fees_minor,
            net_minor: sign * self.net_minor,
        }
    }

    pub(crate) fn add(&mut self, other: &EventMoney) {
        self.sales_minor += other.sales_minor;
        self.refunds_minor += other.refunds_minor;
        self.chargebacks_minor += other.chargebacks_minor;
        self.fees_minor += other.fees_minor;
        self.net_minor += other.net_minor;
    }
}

/// Sums for one currency. `sales_minor − refunds_minor − chargebacks_minor − fees_minor +
/// adjustments_minor = net_minor`, always.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Figures {
    pub currency: String,
    /// What buyers paid for sales, subscriptions and royalties.
    pub sales_minor: i64,
    /// What refunds took back (positive; subtracted from sales).
    pub refunds_minor: i64,
    /// What lost disputes took back (positive; subtracted from sales).
    pub chargebacks_minor: i64,
    /// Platform and processing fees, and fee events (positive when charged; subtracted).
    pub fees_minor: i64,
    /// Adjustment events, and what platforms withheld or added beyond their fees (added).
    pub adjustments_minor: i64,
    /// What the creator keeps: sales − refunds − chargebacks − fees + adjustments.
    pub net_minor: i64,
    /// Units sold, less units returned.
    pub units: i64,
    /// KDP pages read (Kindle Edition Normalized Pages).
    pub kenp_pages: i64,
    pub events: i64,
    /// Of `events`, how many are estimates whose period has no final figures yet (KDP's daily
    /// royalties before the month's final report): figures with estimates in them may still change.
    pub estimated_events: i64,
}

impl Figures {
    /// The figures of `currency` from the stored sums (in `SUM_COLUMNS`' order); adjustments as the rest.
    pub(crate) fn from_sums(
        currency: String,
        [sales, refunds, chargebacks, fees, net, units, kenp_pages, events, estimated]: [i64; SUM_COUNT],
    ) -> Figures {
        Figures {
            currency,
            sales_minor: sales,
            refunds_minor: refunds,
            chargebacks_minor: chargebacks,
            fees_minor: fees,
            adjustments_minor: net - sales + refunds + chargebacks + fees,
            net_minor: net,
            units,
            kenp_pages,
            events,
            estimated_events: estimated,
        }
    }

    /// Whether the figures add up: Sales − Refunds − Chargebacks − Fees + Adjustments = Net.
    pub fn reconciles(&self) -> bool {
        self.sales_minor - self.refunds_minor - self.chargebacks_minor - self.fees_minor
            + self.adjustments_minor
            == self.net_minor
    }

    /// `self` − `before`, figure by figure (what a change made).
    pub fn minus(&self, before: &Figures) -> Figures {
        Figures {
            currency: self.currency.clone(),
            sales_minor: self.sales_minor - before.sales_minor,
            refunds_minor: self.refunds_minor - before.refunds_minor,
            chargebacks_minor: self.chargebacks_minor - before.chargebacks_minor,
            fees_minor: self.fees_minor - before.fees_minor,
            adjustments_minor: self.adjustments_minor - before.adjustments_minor,
            net_minor: self.net_minor - before.net_minor,
            units: self.units - before.units,
            kenp_pages: self.kenp_pages - before.kenp_pages,
            events: self.events - before.events,
            estimated_events: self.estimated_events - before.estimated_events,
        }
    }
}

/// What changed between two sets of per-currency totals: `after` − `before`, currencies that did not
/// change left out.
pub fn change(before: &[Figures], after: &[Figures]) -> Vec<Figures> {
    let zero = Figures::default();
    let mut currencies: Vec<&str> = before
        .iter()
        .chain(after)
        .map(|f| f.currency.as_str())
        .collect();
    currencies.sort_unstable();
    currencies.dedup();
    currencies
        .into_iter()
        .filter_map(|currency| {
            let find = |all: &[Figures]| all.iter().find(|f| f.currency == currency).cloned();
            let (b, a) = (
                find(before).unwrap_or_else(|| zero.clone()),
                find(after).unwrap_or_else(|| zero.clone()),
            );
            let delta = Figures {
                currency: currency.to_string(),
                ..a.minus(&b)
            };
            let unchanged = Figures {
                currency: currency.to_string(),
                ..Figures::default()
            };
            (delta != unchanged).then_some(delta)
        })
        .collect()
}

/// How many sums a rollup row holds.
pub(crate) const SUM_COUNT: usize = 9;

/// The rollup tables' sum columns, in the order `from_sums` and `rollups::Sums` read them.
pub(crate) const SUM_COLUMNS: &str =
    "sales_minor, refunds_minor, chargebacks_minor, fees_minor, net_minor, \
     units, kenp_pages, events, estimated";

/// `SUM_COLUMNS` summed, in the same order.
pub(crate) const SUMS: &str = "SUM(sales_minor), SUM(refunds_minor), SUM(chargebacks_minor), \
     SUM(fees_minor), SUM(net_minor), SUM(units), SUM(kenp_pages), SUM(events), SUM(estimated)";

/// Reads `currency` and the sums starting at column `first`.
pub(crate) fn read_figures(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Figures> {
    let currency: String = row.get(first)?;
    let mut sums = [0i64; SUM_COUNT];
    for (i, sum) in sums.iter_mut().enumerate() {
        *sum = row.get(first + 1 + i)?;
    }
    Ok(Figures::from_sums(currency, sums))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_event_adds_up() {
        for kind in EventKind::ALL {
            if kind == EventKind::Payout {
                continue;
            }
            for (gross, fees, net) in [
                (1000, 30, 970),
                (-500, 0, -500),
                (1000, 30, 900),
                (0, 15, -15),
            ] {
                let m = EventMoney::of(kind, gross, fees, net);
                let f = Figures::from_sums(
                    "USD".into(),
                    [
                        m.sales_minor,
                        m.refunds_minor,
                        m.chargebacks_minor,
                        m.fees_minor,
                        m.net_minor,
                        0,
                        0,
                        1,
                        0,
                    ],
                );
                assert!(f.reconciles(), "{kind} {gross}/{fees}/{net}: {f:?}");
                assert_eq!(f.net_minor, net);
            }
        }
    }

    #[test]
    fn refunds_and_fee_events_read_as_positive_amounts_taken_off() {
        assert_eq!(
            EventMoney::of(EventKind::Refund, -1200, 0, -1200).refunds_minor,
            1200
        );
        assert_eq!(
            EventMoney::of(EventKind::Chargeback, -800, 0, -800).chargebacks_minor,
            800
        );
        assert_eq!(
            EventMoney::of(EventKind::Fee, -150, 0, -150).fees_minor,
            150
        );
        let withheld = Figures::from_sums("USD".into(), [1000, 0, 0, 30, 900, 1, 0, 1, 0]);
        assert_eq!(withheld.adjustments_minor, -70);
    }
}
