//! One row of a mapped CSV turned into ledger events: the sale (or whatever kind the row is), and, when
//! the export records them on the sale row, its refund and its lost dispute as events of their own
//! (`<id>:refund`, `<id>:chargeback`), so that a refund shows in the month it happened and re-importing a
//! later export with a grown refund updates it instead of adding another.

use super::columns::{Amounts, Columns, CurrencySource, IdSource};
use crate::amount::{parse_amount, DecimalMark};
use crate::dates::DateOrder;
use tributary_model::{Currency, EventKind, NewEvent, RowError, UtcInstant};

/// How this file writes its values, settled before its rows are read.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Conventions {
    pub decimal_mark: DecimalMark,
    pub date_order: DateOrder,
}

/// What one row gives.
pub(crate) enum RowEvents {
    /// Left out by the format's rules (a totals row, a failed payment).
    Skipped,
    Events(Vec<NewEvent>),
}

pub(crate) struct RowReader<'a> {
    pub columns: &'a Columns,
    pub conventions: Conventions,
    pub platform: &'a str,
    pub account: &'a str,
}

impl RowReader<'_> {
    pub fn events(&self, record: &csv::StringRecord, line: u64) -> Result<RowEvents, RowError> {
        let c = self.columns;
        let fail = |column: usize, message: String| RowError {
            line: Some(line),
            column: c.names.get(column).cloned(),
            message,
        };
        if record.len() != c.width {
            return Err(crate::wrong_width(
                line,
                record.iter().map(str::as_bytes),
                c.width,
            ));
        }
        let field = |column: usize| record.get(column).unwrap_or("").trim();
        if c.skip.iter().any(|t| t.holds(field(t.column))) {
            return Ok(RowEvents::Skipped);
        }
        // The kind its value lists; otherwise the default, or `negative`'s once the amount is known.
        let listed = match c.kind.column.map(field) {
            Some(value) if c.kind.skip.contains(&value.to_lowercase()) => {
                return Ok(RowEvents::Skipped)
            }
            Some(value) => c.kind.values.get(&value.to_lowercase()).copied(),
            None => None,
        };
        let currency = match &c.currency {
            CurrencySource::Fixed(currency) => *currency,
            CurrencySource::Column(column) => {
                Currency::from_code(field(*column)).map_err(|e| fail(*column, e.to_string()))?
            }
        };
        let amount = |column: usize| -> Result<i64, RowError> {
            let text = field(column);
            let mark = self.conventions.decimal_mark;
            if c.minor_units && text.contains(mark.as_char()) {
                // Even `11.00`: read as 11 cents it would be wrong by a hundred, silently.
                return Err(fail(
                    column,
                    format!("'{text}' has decimals, but the mapping says amounts are in minor units (minor_units = true)"),
                ));
            }
            let exponent = if c.minor_units {
                0
            } else {
                currency.exponent()
            };
            parse_amount(text, mark, exponent).map_err(|e| fail(column, e.to_string()))
        };
        let optional_amount = |column: Option<usize>| -> Result<i64, RowError> {
            match column {
                Some(column) if !field(column).is_empty() => amount(column),
                _ => Ok(0),
            }
        };
        let date = |column: usize| -> Result<UtcInstant, RowError> {
            self.conventions
                .date_order
                .parse(field(column), c.utc_offset)
                .map_err(|e| fail(column, e.to_string()))
        };
        let external_id = match &c.id {
            IdSource::Column(column) => match field(*column) {
                "" => return Err(fail(*column, "a value is required".into())),
                id => {
                    crate::check_id_length(id).map_err(|m| fail(*column, m))?;
                    id.to_string()
                }
            },
            IdSource::Derived(columns) => derived_id(columns.iter().map(|&i| field(i))),
        };
        let occurred_at = date(c.date)?;
        let mut fees: i64 = 0;
        for &column in &c.fees {
            fees = fees
                .checked_add(optional_amount(Some(column))?)
                .ok_or_else(|| fail(column, "the fees are too large to store".into()))?;
        }
        let (gross, net) = match c.amounts {
            // What was charged is what was kept plus the fees.
            Amounts::Net(column) => {
                let net = amount(column)?;
                let gross = net
                    .checked_add(fees)
                    .ok_or_else(|| fail(column, "net plus fees is too large to store".into()))?;
                (gross, net)
            }
            Amounts::Gross { gross: column, net } => {
                let gross = amount(column)?;
                let net = match net {
                    Some(net) if !field(net).is_empty() => amount(net)?,
                    _ => gross.checked_sub(fees).ok_or_else(|| {
                        fail(column, "gross minus fees is too large to store".into())
                    })?,
                };
                (gross, net)
            }
        };
        let kind = match (listed, c.kind.negative) {
            (Some(kind), _) => kind,
            (None, Some(negative)) if gross < 0 => negative,
            (None, _) => c.kind.default,
        };
        let quantity = match c.quantity.map(|i| (i, field(i))) {
            None | Some((_, "")) => 1,
            Some((column, text)) => crate::parse_quantity(text).map_err(|m| fail(column, m))?,
        };
        // A refund or chargeback row of its own gives units back, whichever sign the file writes
        // (balance-style exports write the sale's units, or none, which reads as 1).
        let quantity = if kind.is_reversal() {
            -quantity.abs()
        } else {
            quantity
        };
        let text = |column: Option<usize>| {
            column
                .map(field)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let country = c
            .country
            .map(field)
            .filter(|v| v.len() == 2 && v.bytes().all(|b| b.is_ascii_alphabetic()))
            .map(str::to_ascii_uppercase);
        let sale = NewEvent {
            platform: self.platform.to_string(),
            account: self.account.to_string(),
            external_id,
            kind,
            occurred_at,
            product_id: text(c.product_id),
            product_name: text(c.product_name),
            quantity,
            currency,
            gross_minor: gross,
            fees_minor: fees,
            net_minor: net,
            buyer_email: text(c.buyer_email),
            country,
            raw: None,
            source_line: Some(line),
            settlement: None,
        };
        let mut events = Vec::with_capacity(1);
        if let Some(rule) = &c.refund {
            // An amount refunded is the exact fact; the flag of a whole refund stands in for it on rows
            // that leave it empty or zero (exports that added the amount later, say).
            let refunded = match optional_amount(rule.amount)? {
                0 => match rule.full_when.as_ref() {
                    Some(full) if full.holds(field(full.column)) => gross,
                    _ => optional_amount(rule.partial)?,
                },
                amount => amount,
            };
            if refunded != 0 {
                let at = match rule.date.filter(|&i| !field(i).is_empty()) {
                    Some(column) => date(column)?,
                    None => occurred_at,
                };
                events.push(sale.taken_back(EventKind::Refund, refunded, at));
            }
        }
        if let Some(rule) = &c.dispute {
            let disputed = match (rule.when.as_ref(), rule.amount) {
                (Some(when), _) if when.holds(field(when.column)) => gross,
                (None, Some(column)) => optional_amount(Some(column))?,
                _ => 0,
            };
            let won = rule
                .won_when
                .as_ref()
                .is_some_and(|t| t.holds(field(t.column)));
            if disputed != 0 && !won {
                let at = match rule.date.filter(|&i| !field(i).is_empty()) {
                    Some(column) => date(column)?,
                    None => occurred_at,
                };
                events.push(sale.taken_back(EventKind::Chargeback, disputed, at));
            }
        }
        events.insert(0, sale);
        Ok(RowEvents::Events(events))
    }
}

/// A stable id from the values that name a row: the same values always give the same id, in this and
/// later versions (XXH3-128 is specified), and the values are length-prefixed so that no two lists of
/// values run together.
fn derived_id<'a>(values: impl Iterator<Item = &'a str>) -> String {
    let mut bytes = Vec::new();
    for v in values {
        bytes.extend_from_slice(&(v.len() as u64).to_le_bytes());
        bytes.extend_from_slice(v.as_bytes());
    }
    format!("row-{:032x}", xxhash_rust::xxh3::xxh3_128(&bytes))
}
