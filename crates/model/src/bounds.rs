//! The largest values one event may carry. They are far above any real sale (ten trillion dollars,
//! a trillion units) and far below what the ledger's sums can hold, so that a typo or a crafted file is
//! a row error naming its line and column, never an overflow: the ledger's own bound on what its sums
//! may reach (crates/ledger/src/magnitude.rs) then leaves room for millions of such rows.

use crate::{Money, NewEvent, RowError, UtcInstant};

/// The most minor units one amount may have, either sign: 10¹⁵ (10,000,000,000,000.00 USD).
pub const MAX_ROW_MINOR: i64 = 1_000_000_000_000_000;

/// The most units (or pages read) one event may count, either sign.
pub const MAX_ROW_QUANTITY: i64 = 1_000_000_000_000;

impl NewEvent {
    /// The first value of this event that the ledger does not take, as a row error naming the event's
    /// line and the field; `None` when every value is within bounds.
    pub fn out_of_bounds(&self) -> Option<RowError> {
        let refuse = |column: &str, message: String| RowError {
            line: self.source_line,
            column: Some(column.to_string()),
            message,
        };
        for (column, minor) in [
            ("gross", self.gross_minor),
            ("fees", self.fees_minor),
            ("net", self.net_minor),
        ] {
            if minor.unsigned_abs() > MAX_ROW_MINOR.unsigned_abs() {
                return Some(refuse(
                    column,
                    format!(
                        "{} is more than one amount may be (at most {} either way)",
                        Money::from_minor(minor, self.currency),
                        Money::from_minor(MAX_ROW_MINOR, self.currency)
                    ),
                ));
            }
        }
        if self.quantity.unsigned_abs() > MAX_ROW_QUANTITY.unsigned_abs() {
            return Some(refuse(
                "quantity",
                format!(
                    "{} is more than one row may count (at most {MAX_ROW_QUANTITY} either way)",
                    self.quantity
                ),
            ));
        }
        if !self.occurred_at.in_ledger_range() {
            return Some(refuse(
                "occurred_at",
                format!(
                    "{} is outside the dates the ledger keeps ({} to {})",
                    self.occurred_at,
                    UtcInstant::FIRST.day(),
                    UtcInstant::LAST.day()
                ),
            ));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Currency, EventKind};

    fn event(gross: i64, quantity: i64, millis: i64) -> NewEvent {
        NewEvent {
            platform: "stripe".into(),
            account: "main".into(),
            external_id: "x".into(),
            kind: EventKind::Sale,
            occurred_at: UtcInstant::from_millis(millis),
            product_id: None,
            product_name: None,
            quantity,
            currency: Currency::from_code("USD").unwrap(),
            gross_minor: gross,
            fees_minor: 0,
            net_minor: gross,
            buyer_email: None,
            country: None,
            raw: None,
            source_line: Some(7),
            settlement: None,
        }
    }

    #[test]
    fn values_at_the_bounds_pass_and_past_them_are_named() {
        assert_eq!(
            event(MAX_ROW_MINOR, MAX_ROW_QUANTITY, 0).out_of_bounds(),
            None
        );
        assert_eq!(
            event(-MAX_ROW_MINOR, -MAX_ROW_QUANTITY, 0).out_of_bounds(),
            None
        );
        let e = event(MAX_ROW_MINOR + 1, 1, 0).out_of_bounds().unwrap();
        assert_eq!(
            e.to_string(),
            "line 7, column gross: 10000000000000.01 USD is more than one amount may be \
             (at most 10000000000000.00 USD either way)"
        );
        let e = event(i64::MIN, 1, 0).out_of_bounds().unwrap();
        assert_eq!(e.column.as_deref(), Some("gross"));
        let e = event(1, i64::MAX, 0).out_of_bounds().unwrap();
        assert_eq!(e.column.as_deref(), Some("quantity"));
        let e = event(1, 1, UtcInstant::LAST.millis() + 1)
            .out_of_bounds()
            .unwrap();
        assert_eq!(e.column.as_deref(), Some("occurred_at"));
        assert_eq!(
            event(1, 1, UtcInstant::FIRST.millis()).out_of_bounds(),
            None
        );
    }
}
