//! One KDP sheet's rows turned into ledger events, whether the sheet came from a workbook or was saved
//! as CSV. Each row is a royalty (a refund when negative) or KENP pages; its id is built from the values
//! that name it (date or month, product, marketplace, royalty and transaction type), so re-importing a
//! report, or importing two overlapping Dashboard exports, changes nothing.

use super::language::{Field, Language, SheetRole};
use super::marketplace;
use crate::amount::{parse_amount, DecimalMark};
use crate::dates::DateOrder;
use chrono::{Datelike, FixedOffset, NaiveDate};
use std::collections::HashMap;
use tributary_model::{Currency, EventKind, NewEvent, RowError, Settlement, UtcInstant};

/// A cell as the workbook (or CSV) gave it. Numbers stay the double the workbook stored until a field
/// says what they are: money is then the decimal whose nearest double that is, never float arithmetic.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

impl Cell {
    /// The cell as text: trimmed text, a number as written, a date as `YYYY-MM-DD`.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_string(),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        }
    }

    fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// A sheet: its name and its rows, each with its 1-based number (workbook row, or CSV line). A
/// workbook's sheet stays calamine's block of cells; a row becomes `Cell`s only when it is read.
pub struct Sheet {
    pub name: String,
    rows: Rows,
}

enum Rows {
    Cells(Vec<(u64, Vec<Cell>)>),
    Range(calamine::Range<calamine::Data>),
}

impl Sheet {
    pub fn of_cells(name: String, rows: Vec<(u64, Vec<Cell>)>) -> Sheet {
        Sheet {
            name,
            rows: Rows::Cells(rows),
        }
    }

    pub fn of_range(name: String, range: calamine::Range<calamine::Data>) -> Sheet {
        Sheet {
            name,
            rows: Rows::Range(range),
        }
    }

    pub fn len(&self) -> usize {
        match &self.rows {
            Rows::Cells(rows) => rows.len(),
            Rows::Range(range) => range.height(),
        }
    }

    /// Row `i` (0-based among the sheet's rows) and its number; cells keep their columns from A.
    pub fn row(&self, i: usize) -> Option<(u64, Vec<Cell>)> {
        match &self.rows {
            Rows::Cells(rows) => rows.get(i).cloned(),
            Rows::Range(range) => {
                if i >= range.height() {
                    return None;
                }
                let (first_row, first_column) = range.start().unwrap_or((0, 0));
                let mut cells = vec![Cell::Empty; first_column as usize];
                cells.extend(
                    (0..range.width()).map(|j| range.get((i, j)).map_or(Cell::Empty, cell_of)),
                );
                Some((u64::from(first_row) + i as u64 + 1, cells))
            }
        }
    }
}

/// A workbook cell as a `Cell`.
fn cell_of(data: &calamine::Data) -> Cell {
    use calamine::Data;
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Text(i.to_string()),
        Data::Bool(b) => Cell::Text(b.to_string()),
        // A date cell is a serial day count; its day is what KDP means.
        Data::DateTime(d) => match serial_day(&d.as_f64().floor().to_string()) {
            Some(day) => Cell::Date(day),
            None => Cell::Number(d.as_f64()),
        },
        Data::Error(e) => Cell::Text(format!("#{e:?}")),
    }
}

/// Whether figures are the Dashboard's estimates or a Prior Months' report's final ones (for its month).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Estimated,
    Final { year: i32, month: u32 },
}

/// What reading a file's sheets gives, in order, with what is remembered across them.
pub struct SheetReader {
    pub language: &'static Language,
    pub kind: Kind,
    /// For text numbers (a sheet saved as CSV): how they are written.
    pub decimal_mark: DecimalMark,
    /// How often each id has been seen in this file: a repeat gets `#2`, `#3`, … so that rows that are
    /// the same by every naming value stay apart, and the same file always gives the same ids.
    seen: HashMap<String, u32>,
}

/// What one row gives.
pub enum RowOutcome {
    Event(Box<NewEvent>),
    Rejected(RowError),
}

/// Where each field is in a sheet.
struct Columns {
    index: HashMap<Field, usize>,
    names: Vec<String>,
}

/// A sheet being read: its columns, and the next row to read.
pub struct OpenSheet {
    sheet: Sheet,
    columns: Columns,
    header: Vec<Cell>,
    kenp: bool,
    next: usize,
}

impl SheetReader {
    pub fn new(language: &'static Language, kind: Kind, decimal_mark: DecimalMark) -> SheetReader {
        SheetReader {
            language,
            kind,
            decimal_mark,
            seen: HashMap::new(),
        }
    }

    /// Finds the header of `sheet` (holding `role`) and its columns, ready to read its rows. Fails when
    /// the sheet has no header this language names, or lacks a column its rows need.
    pub fn open(&self, sheet: Sheet, role: SheetRole) -> Result<OpenSheet, String> {
        let Some((at, columns)) = self.header(&sheet) else {
            return Err(format!(
                "sheet '{}' has no {} KDP header row (with the product and marketplace columns)",
                sheet.name.trim(),
                self.language.name
            ));
        };
        let kenp = role == SheetRole::KenpRead;
        let mut needed = vec![Field::Product, Field::Marketplace];
        needed.push(if kenp {
            Field::KenpPages
        } else {
            Field::Royalty
        });
        if self.kind == Kind::Estimated {
            needed.push(Field::Date);
        }
        let missing: Vec<String> = needed
            .iter()
            .filter(|f| !columns.index.contains_key(f))
            .map(|f| format!("{f:?}"))
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "sheet '{}' lacks the columns for: {}",
                sheet.name.trim(),
                missing.join(", ")
            ));
        }
        let header = sheet.row(at).map(|(_, cells)| cells).unwrap_or_default();
        Ok(OpenSheet {
            sheet,
            columns,
            header,
            kenp,
            next: at + 1,
        })
    }

    /// The next row's event or error; None when the sheet is done. Blank rows and the header repeated
    /// give nothing.
    pub fn next(&mut self, open: &mut OpenSheet) -> Option<RowOutcome> {
        while let Some((line, cells)) = open.sheet.row(open.next) {
            open.next += 1;
            if cells.iter().all(Cell::is_blank) || cells == open.header {
                continue;
            }
            return Some(
                match self.event(&open.sheet.name, &open.columns, open.kenp, line, &cells) {
                    Ok(e) => RowOutcome::Event(Box::new(e)),
                    Err(e) => RowOutcome::Rejected(e),
                },
            );
        }
        None
    }

    /// The header row (among the first few) and its columns.
    fn header(&self, sheet: &Sheet) -> Option<(usize, Columns)> {
        (0..sheet.len().min(6))
            .filter_map(|i| sheet.row(i).map(|(_, cells)| (i, cells)))
            .find_map(|(i, cells)| {
                let mut index: HashMap<Field, (usize, usize)> = HashMap::new();
                for (column, cell) in cells.iter().enumerate() {
                    if let Some((field, rank)) = self.language.field(&cell.text()) {
                        let best = index.entry(field).or_insert((column, rank));
                        if rank < best.1 {
                            *best = (column, rank);
                        }
                    }
                }
                (index.contains_key(&Field::Product) && index.contains_key(&Field::Marketplace))
                    .then(|| {
                        (
                            i,
                            Columns {
                                index: index.into_iter().map(|(f, (c, _))| (f, c)).collect(),
                                names: cells.iter().map(Cell::text).collect(),
                            },
                        )
                    })
            })
    }

    fn event(
        &mut self,
        sheet: &str,
        columns: &Columns,
        kenp: bool,
        line: u64,
        cells: &[Cell],
    ) -> Result<NewEvent, RowError> {
        let fail = |field: Field, message: String| RowError {
            line: Some(line),
            column: columns
                .index
                .get(&field)
                .and_then(|&c| columns.names.get(c))
                .cloned(),
            message: format!("sheet '{}': {message}", sheet.trim()),
        };
        let cell = |field: Field| -> &Cell {
            columns
                .index
                .get(&field)
                .and_then(|&c| cells.get(c))
                .unwrap_or(&Cell::Empty)
        };
        let text = |field: Field| cell(field).text();
        let product = text(Field::Product);
        if product.is_empty() {
            return Err(fail(Field::Product, "the ASIN or ISBN is missing".into()));
        }
        let market = text(Field::Marketplace);
        let currency_code = match text(Field::Currency) {
            code if !code.is_empty() => code,
            _ => marketplace::currency(&market)
                .ok_or_else(|| {
                    fail(
                        Field::Marketplace,
                        format!("'{market}' is not an Amazon marketplace Tributary knows the currency of"),
                    )
                })?
                .to_string(),
        };
        let currency = Currency::from_code(&currency_code)
            .map_err(|e| fail(Field::Currency, e.to_string()))?;
        let day = match self.kind {
            Kind::Final { year, month } => NaiveDate::from_ymd_opt(year, month, 1)
                .ok_or_else(|| fail(Field::Date, format!("{year}-{month} is not a month")))?,
            Kind::Estimated => day_of(cell(Field::Date)).ok_or_else(|| {
                fail(
                    Field::Date,
                    format!("'{}' is not a date", text(Field::Date)),
                )
            })?,
        };
        let whole = |field: Field| -> Result<i64, RowError> {
            whole_number(cell(field), self.decimal_mark).map_err(|m| fail(field, m))
        };
        let royalty_type = text(Field::RoyaltyType);
        let transaction_type = text(Field::TransactionType);
        let payout_plan = text(Field::PayoutPlan);
        // Total Earnings gives KENP earnings on rows of their own, told by their type or payout plan.
        let kenp = kenp
            || [&royalty_type, &payout_plan]
                .iter()
                .any(|t| t.to_ascii_uppercase().contains("KENP"));
        let (quantity, money) = if columns.index.contains_key(&Field::KenpPages) {
            (whole(Field::KenpPages)?, 0)
        } else {
            let quantity = if columns.index.contains_key(&Field::NetUnits) {
                whole(Field::NetUnits)?
            } else {
                whole(Field::UnitsSold)? - whole(Field::UnitsRefunded)?
            };
            let money = money_of(cell(Field::Royalty), self.decimal_mark, currency.exponent())
                .map_err(|m| fail(Field::Royalty, m))?;
            (quantity, money)
        };
        let kind = if kenp {
            EventKind::KenpRead
        } else if money < 0 || (money == 0 && quantity < 0) {
            EventKind::Refund
        } else {
            EventKind::Royalty
        };
        let (prefix, when) = match self.kind {
            Kind::Estimated => ("kdp-estimate", day.format("%Y-%m-%d").to_string()),
            Kind::Final { .. } => ("kdp-final", day.format("%Y-%m").to_string()),
        };
        let naming = if kenp && royalty_type.is_empty() {
            "KENP".to_string()
        } else {
            format!("{royalty_type}|{transaction_type}|{payout_plan}")
        };
        let id = format!("{prefix}|{when}|{product}|{market}|{naming}");
        let seen = self.seen.entry(id.clone()).or_insert(0);
        *seen += 1;
        let external_id = match *seen {
            1 => id,
            n => format!("{id}#{n}"),
        };
        let mut raw = serde_json::Map::new();
        for (key, value) in [
            ("royalty_type", &royalty_type),
            ("transaction_type", &transaction_type),
            ("payout_plan", &payout_plan),
            ("author", &text(Field::Author)),
        ] {
            if !value.is_empty() {
                raw.insert(key.into(), serde_json::Value::String(value.clone()));
            }
        }
        let title = text(Field::Title);
        Ok(NewEvent {
            platform: "kdp".into(),
            account: "main".into(),
            external_id,
            kind,
            occurred_at: UtcInstant::from_millis(
                day.and_hms_opt(0, 0, 0)
                    .map_or(0, |t| t.and_utc().timestamp_millis()),
            ),
            product_id: Some(product),
            product_name: (!title.is_empty()).then_some(title),
            quantity,
            currency,
            gross_minor: money,
            fees_minor: 0,
            net_minor: money,
            buyer_email: None,
            country: None,
            raw: (!raw.is_empty()).then(|| serde_json::Value::Object(raw).to_string()),
            source_line: Some(line),
            settlement: Some(Settlement {
                period: format!("{:04}-{:02} {market}", day.year(), day.month()),
                estimated: self.kind == Kind::Estimated,
            }),
        })
    }
}

/// The day a Dashboard date cell names: a date cell, `YYYY-MM-DD` text (or `YYYY-MM`, which monthly
/// exports use, as its first day), or an Excel serial day.
fn day_of(cell: &Cell) -> Option<NaiveDate> {
    match cell {
        Cell::Date(d) => Some(*d),
        Cell::Number(n) => serial_day(&n.to_string()),
        Cell::Text(t) => {
            let t = t.trim();
            if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
                return Some(d);
            }
            if let Ok(d) = NaiveDate::parse_from_str(&format!("{t}-01"), "%Y-%m-%d") {
                return Some(d);
            }
            let utc = FixedOffset::east_opt(0)?;
            let instant = DateOrder::YearMonthDay
                .parse(t, utc)
                .or_else(|_| DateOrder::ExcelSerial.parse(t, utc))
                .ok()?;
            utc_day(instant)
        }
        Cell::Empty => None,
    }
}

fn utc_day(instant: UtcInstant) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(1970, 1, 1)?
        .checked_add_signed(chrono::TimeDelta::try_days(instant.epoch_day())?)
}

fn serial_day(text: &str) -> Option<NaiveDate> {
    let utc = FixedOffset::east_opt(0)?;
    utc_day(DateOrder::ExcelSerial.parse(text, utc).ok()?)
}

/// Minor units of a money cell. A number is the decimal (with the currency's decimals at most) that the
/// cell's double stands for: its nearest, or within a few units in the last place of it, which is what a
/// spreadsheet's own sums leave (`0.1 + 0.2` stores 0.30000000000000004). Anything further from every
/// such decimal (`10.355` for a currency of two) is refused rather than rounded. Blank and `N/A` are 0.
fn money_of(cell: &Cell, mark: DecimalMark, exponent: u8) -> Result<i64, String> {
    match cell {
        Cell::Empty => Ok(0),
        Cell::Number(n) => {
            if !n.is_finite() {
                return Err(format!("{n} is not an amount"));
            }
            let decimal = format!("{n:.prec$}", prec = usize::from(exponent));
            let nearest: f64 = decimal
                .parse()
                .map_err(|_| format!("{n} is not an amount"))?;
            if (nearest - n).abs() > 4.0 * f64::EPSILON * n.abs().max(1.0) {
                return Err(format!(
                    "{n} has more decimals than its currency allows ({exponent})"
                ));
            }
            parse_amount(&decimal, DecimalMark::Point, exponent).map_err(|e| e.to_string())
        }
        Cell::Text(t) if t.trim().is_empty() || t.trim().eq_ignore_ascii_case("n/a") => Ok(0),
        Cell::Text(t) => parse_amount(t, mark, exponent).map_err(|e| e.to_string()),
        Cell::Date(d) => Err(format!("{d} is a date, not an amount")),
    }
}

/// A count (units, pages). Blank and `N/A` are 0.
fn whole_number(cell: &Cell, mark: DecimalMark) -> Result<i64, String> {
    match cell {
        Cell::Empty => Ok(0),
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Ok(*n as i64),
        Cell::Number(n) => Err(format!("{n} is not a whole number")),
        Cell::Text(t) if t.trim().is_empty() || t.trim().eq_ignore_ascii_case("n/a") => Ok(0),
        Cell::Text(t) => {
            parse_amount(t, mark, 0).map_err(|_| format!("'{}' is not a whole number", t.trim()))
        }
        Cell::Date(d) => Err(format!("{d} is a date, not a number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_cells_are_the_decimal_their_double_stands_for() {
        assert_eq!(
            money_of(&Cell::Number(10.35), DecimalMark::Point, 2),
            Ok(1035)
        );
        assert_eq!(
            money_of(&Cell::Number(-2.1), DecimalMark::Point, 2),
            Ok(-210)
        );
        assert_eq!(
            money_of(&Cell::Number(0.1 + 0.2), DecimalMark::Point, 2),
            Ok(30)
        );
        assert_eq!(
            money_of(&Cell::Number(1200.0), DecimalMark::Point, 0),
            Ok(1200)
        );
        assert!(money_of(&Cell::Number(10.355), DecimalMark::Point, 2).is_err());
        assert!(money_of(&Cell::Number(12.5), DecimalMark::Point, 0).is_err());
        assert_eq!(
            money_of(&Cell::Text("14,99".into()), DecimalMark::Comma, 2),
            Ok(1499)
        );
        assert_eq!(
            money_of(&Cell::Text("N/A".into()), DecimalMark::Point, 2),
            Ok(0)
        );
        assert!(money_of(&Cell::Text("abc".into()), DecimalMark::Point, 2).is_err());
    }

    #[test]
    fn counts_are_whole() {
        assert_eq!(whole_number(&Cell::Number(3.0), DecimalMark::Point), Ok(3));
        assert_eq!(
            whole_number(&Cell::Number(-1.0), DecimalMark::Point),
            Ok(-1)
        );
        assert!(whole_number(&Cell::Number(1.5), DecimalMark::Point).is_err());
        assert_eq!(
            whole_number(&Cell::Text("1.234".into()), DecimalMark::Comma),
            Ok(1234)
        );
        assert!(whole_number(&Cell::Text("x".into()), DecimalMark::Point).is_err());
    }

    #[test]
    fn dates_come_as_text_serials_or_months() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(day_of(&Cell::Text("2026-03-05".into())), d(2026, 3, 5));
        assert_eq!(day_of(&Cell::Text("2026-03".into())), d(2026, 3, 1));
        assert_eq!(day_of(&Cell::Number(46086.0)), d(2026, 3, 5));
        assert_eq!(day_of(&Cell::Text("yesterday".into())), None);
        assert_eq!(day_of(&Cell::Empty), None);
    }
}
