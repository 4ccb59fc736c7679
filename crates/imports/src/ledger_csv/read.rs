//! Reads ledger CSV as a stream of events and row errors. A bad row is reported with its line, column and
//! reason and the rest of the file still reads; a file that is not ledger CSV fails at its header.

use super::{COLUMNS, FORMAT, REQUIRED};
use crate::sniff::TextEncoding;
use crate::{FileError, Item};
use std::io::Read;
use tributary_model::{Currency, EventKind, Money, NewEvent, RowError, Settlement, UtcInstant};

/// Positions of the known columns in this file's header.
struct Layout {
    index: [Option<usize>; COLUMNS.len()],
    /// Columns the format does not know, kept in each row's raw payload.
    extra: Vec<(usize, String)>,
    width: usize,
}

const PLATFORM: usize = 0;
const ACCOUNT: usize = 1;
const EXTERNAL_ID: usize = 2;
const KIND: usize = 3;
const OCCURRED_AT: usize = 4;
const PRODUCT_ID: usize = 5;
const PRODUCT_NAME: usize = 6;
const QUANTITY: usize = 7;
const CURRENCY: usize = 8;
const GROSS: usize = 9;
const FEES: usize = 10;
const NET: usize = 11;
const BUYER_EMAIL: usize = 12;
const COUNTRY: usize = 13;
const PERIOD: usize = 14;
const ESTIMATED: usize = 15;

impl Layout {
    fn from_header(header: &csv::ByteRecord) -> Result<Layout, FileError> {
        let mut index = [None; COLUMNS.len()];
        let mut extra = Vec::new();
        let mut seen: Vec<String> = Vec::with_capacity(header.len());
        for (i, raw) in header.iter().enumerate() {
            let name = String::from_utf8_lossy(raw).trim().to_string();
            let lower = name.to_ascii_lowercase();
            if seen.contains(&lower) {
                return Err(FileError::DuplicateColumn(name));
            }
            seen.push(lower.clone());
            match COLUMNS.iter().position(|c| *c == lower) {
                Some(known) => index[known] = Some(i),
                None => extra.push((i, name)),
            }
        }
        let missing: Vec<&str> = REQUIRED
            .iter()
            .filter(|c| {
                COLUMNS
                    .iter()
                    .position(|k| k == *c)
                    .and_then(|k| index[k])
                    .is_none()
            })
            .copied()
            .collect();
        if !missing.is_empty() {
            return Err(FileError::MissingColumns {
                format: FORMAT.to_string(),
                missing: missing.join(", "),
            });
        }
        Ok(Layout {
            index,
            extra,
            width: header.len(),
        })
    }
}

/// A ledger CSV file being read, one row at a time.
pub struct LedgerCsvReader<R: Read> {
    csv: csv::Reader<R>,
    layout: Layout,
    record: csv::ByteRecord,
    warnings: Vec<String>,
    rows_read: u64,
    /// How the bytes given to the reader were decoded before it (UTF-8 unless said otherwise).
    encoding: TextEncoding,
}

impl<R: Read> LedgerCsvReader<R> {
    /// Reads the header; fails if the file is empty or lacks a required column.
    pub fn new(input: R) -> Result<LedgerCsvReader<R>, FileError> {
        let mut csv = csv::ReaderBuilder::new()
            // Lines end at \n; a \r before it is trimmed with the field. (With the CRLF terminator the
            // csv crate reports each record one line early: BurntSushi/rust-csv#395.)
            .terminator(csv::Terminator::Any(b'\n'))
            .buffer_capacity(1 << 16)
            .has_headers(true)
            .flexible(true)
            .from_reader(input);
        let header = csv.byte_headers().map_err(FileError::from_csv)?.clone();
        if header.is_empty() || (header.len() == 1 && header[0].is_empty()) {
            return Err(FileError::Empty);
        }
        let layout = Layout::from_header(&header)?;
        let mut warnings = Vec::new();
        if !layout.extra.is_empty() {
            let names: Vec<&str> = layout.extra.iter().map(|(_, n)| n.as_str()).collect();
            warnings.push(format!(
                "columns not in the ledger format are kept with each row but not used: {}",
                names.join(", ")
            ));
        }
        Ok(LedgerCsvReader {
            csv,
            layout,
            record: csv::ByteRecord::new(),
            warnings,
            rows_read: 0,
            encoding: TextEncoding::Utf8,
        })
    }

    /// Says that the input was decoded from `encoding` on its way to the reader (`Reading` tells it).
    pub fn decoded_from(mut self, encoding: TextEncoding) -> Self {
        self.encoding = encoding;
        self
    }

    pub fn encoding(&self) -> TextEncoding {
        self.encoding
    }

    /// Things worth telling the user that are not errors (each said once).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Data rows read so far (blank lines are not rows).
    pub fn rows_read(&self) -> u64 {
        self.rows_read
    }

    /// Gives back the underlying reader (after the last row, to finish hashing it, say).
    pub fn into_inner(self) -> R {
        self.csv.into_inner()
    }

    /// The next row, or None at the end of the file.
    pub fn next_item(&mut self) -> Result<Option<Item>, FileError> {
        self.next_item_reusing(None)
    }

    /// The next row, written over `old` when that is an event: its strings keep their allocations, so a
    /// caller that hands back the items it is done with reads a large file without allocating per row.
    pub fn next_item_reusing(&mut self, old: Option<Item>) -> Result<Option<Item>, FileError> {
        loop {
            if !self
                .csv
                .read_byte_record(&mut self.record)
                .map_err(FileError::from_csv)?
            {
                return Ok(None);
            }
            // A line with nothing but a \r (a blank line of a CRLF file) is blank too.
            if !(self.record.len() == 1 && self.record[0].trim_ascii().is_empty()) {
                break;
            }
        }
        self.rows_read += 1;
        let line = self.record.position().map_or(0, |p| p.line());
        Ok(Some(match (self.parse(line), old) {
            (Ok(row), Some(Item::Event(mut event))) => {
                row.write_into(&mut event);
                Item::Event(event)
            }
            (Ok(row), _) => Item::Event(row.into_event()),
            (Err(error), _) => Item::Rejected(error),
        }))
    }

    fn parse(&self, line: u64) -> Result<Row<'_>, RowError> {
        let record = &self.record;
        if record.len() != self.layout.width {
            return Err(crate::wrong_width(line, record.iter(), self.layout.width));
        }
        let fail = |column: usize, message: String| RowError {
            line: Some(line),
            column: Some(COLUMNS[column].to_string()),
            message,
        };
        let text = |column: usize| -> Result<&str, RowError> {
            match self.layout.index[column] {
                None => Ok(""),
                Some(i) => std::str::from_utf8(&record[i])
                    .map(str::trim)
                    .map_err(|_| fail(column, "the value is not valid UTF-8".into())),
            }
        };
        let required = |column: usize| -> Result<&str, RowError> {
            let value = text(column)?;
            if value.is_empty() {
                Err(fail(column, "a value is required".into()))
            } else {
                Ok(value)
            }
        };
        let optional = |column: usize| -> Result<Option<&str>, RowError> {
            text(column).map(|v| (!v.is_empty()).then_some(v))
        };

        let platform = required(PLATFORM)?;
        if !platform
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
        {
            return Err(fail(
                PLATFORM,
                format!("'{platform}' is not a platform slug (lowercase letters, digits, _ and -)"),
            ));
        }
        let account = required(ACCOUNT)?;
        let external_id = required(EXTERNAL_ID)?;
        crate::check_id_length(external_id).map_err(|m| fail(EXTERNAL_ID, m))?;
        let kind: EventKind = required(KIND)?
            .parse()
            .map_err(|e: tributary_model::UnknownKind| fail(KIND, e.to_string()))?;
        let occurred_at = UtcInstant::parse_rfc3339(required(OCCURRED_AT)?)
            .map_err(|e| fail(OCCURRED_AT, e.to_string()))?;
        let quantity_text = required(QUANTITY)?;
        let quantity = crate::parse_quantity(quantity_text).map_err(|m| fail(QUANTITY, m))?;
        let currency =
            Currency::from_code(required(CURRENCY)?).map_err(|e| fail(CURRENCY, e.to_string()))?;
        let amount = |column: usize, value: &str| {
            Money::parse(value, currency).map_err(|e| fail(column, e.to_string()))
        };
        let gross = amount(GROSS, required(GROSS)?)?;
        let fees = match text(FEES)? {
            "" => Money::from_minor(0, currency),
            v => amount(FEES, v)?,
        };
        let net = match text(NET)? {
            "" => gross
                .checked_sub(fees)
                .map_err(|_| fail(NET, "gross minus fees is too large to store".into()))?,
            v => amount(NET, v)?,
        };
        let country = match text(COUNTRY)? {
            "" => None,
            v if v.len() == 2 && v.bytes().all(|b| b.is_ascii_alphabetic()) => Some(v),
            v => {
                return Err(fail(
                    COUNTRY,
                    format!("'{v}' is not an ISO 3166-1 alpha-2 country code"),
                ))
            }
        };
        let period = optional(PERIOD)?;
        let estimated = match text(ESTIMATED)?.to_ascii_lowercase().as_str() {
            "" | "false" | "0" | "no" => false,
            "true" | "1" | "yes" => true,
            other => return Err(fail(ESTIMATED, format!("'{other}' is not true or false"))),
        };
        if estimated && period.is_none() {
            return Err(fail(
                PERIOD,
                "an estimated event needs the period its final figures will settle".into(),
            ));
        }
        Ok(Row {
            platform,
            account,
            external_id,
            kind,
            occurred_at,
            product_id: optional(PRODUCT_ID)?,
            product_name: optional(PRODUCT_NAME)?,
            quantity,
            currency,
            gross_minor: gross.minor(),
            fees_minor: fees.minor(),
            net_minor: net.minor(),
            buyer_email: optional(BUYER_EMAIL)?,
            country,
            raw: self.raw_extras(),
            line,
            period,
            estimated,
        })
    }

    /// The values of the extra columns as a JSON object, or None when they are all empty.
    fn raw_extras(&self) -> Option<String> {
        let mut map = serde_json::Map::new();
        for (i, name) in &self.layout.extra {
            let value = String::from_utf8_lossy(self.record[*i].trim_ascii_end());
            if !value.is_empty() {
                map.insert(name.clone(), serde_json::Value::String(value.into_owned()));
            }
        }
        (!map.is_empty()).then(|| serde_json::Value::Object(map).to_string())
    }
}

/// A valid row, its text still borrowed from the record.
struct Row<'r> {
    platform: &'r str,
    account: &'r str,
    external_id: &'r str,
    kind: EventKind,
    occurred_at: UtcInstant,
    product_id: Option<&'r str>,
    product_name: Option<&'r str>,
    quantity: i64,
    currency: Currency,
    gross_minor: i64,
    fees_minor: i64,
    net_minor: i64,
    buyer_email: Option<&'r str>,
    /// Two ASCII letters, in the case the file had.
    country: Option<&'r str>,
    raw: Option<String>,
    line: u64,
    period: Option<&'r str>,
    estimated: bool,
}

impl Row<'_> {
    fn into_event(self) -> NewEvent {
        NewEvent {
            platform: self.platform.to_string(),
            account: self.account.to_string(),
            external_id: self.external_id.to_string(),
            kind: self.kind,
            occurred_at: self.occurred_at,
            product_id: self.product_id.map(str::to_string),
            product_name: self.product_name.map(str::to_string),
            quantity: self.quantity,
            currency: self.currency,
            gross_minor: self.gross_minor,
            fees_minor: self.fees_minor,
            net_minor: self.net_minor,
            buyer_email: self.buyer_email.map(str::to_string),
            country: self.country.map(str::to_ascii_uppercase),
            raw: self.raw,
            source_line: Some(self.line),
            settlement: self.period.map(|period| Settlement {
                period: period.to_string(),
                estimated: self.estimated,
            }),
        }
    }

    /// Gives `event` this row's values, reusing the strings it has.
    fn write_into(self, event: &mut NewEvent) {
        replace(&mut event.platform, self.platform);
        replace(&mut event.account, self.account);
        replace(&mut event.external_id, self.external_id);
        event.kind = self.kind;
        event.occurred_at = self.occurred_at;
        replace_optional(&mut event.product_id, self.product_id);
        replace_optional(&mut event.product_name, self.product_name);
        event.quantity = self.quantity;
        event.currency = self.currency;
        event.gross_minor = self.gross_minor;
        event.fees_minor = self.fees_minor;
        event.net_minor = self.net_minor;
        replace_optional(&mut event.buyer_email, self.buyer_email);
        replace_optional(&mut event.country, self.country);
        if let Some(country) = &mut event.country {
            country.make_ascii_uppercase();
        }
        event.raw = self.raw;
        event.source_line = Some(self.line);
        match (&mut event.settlement, self.period) {
            (_, None) => event.settlement = None,
            (Some(settlement), Some(period)) => {
                replace(&mut settlement.period, period);
                settlement.estimated = self.estimated;
            }
            (None, Some(period)) => {
                event.settlement = Some(Settlement {
                    period: period.to_string(),
                    estimated: self.estimated,
                })
            }
        }
    }
}

fn replace(target: &mut String, value: &str) {
    target.clear();
    target.push_str(value);
}

fn replace_optional(target: &mut Option<String>, value: Option<&str>) {
    match (target.as_mut(), value) {
        (Some(text), Some(value)) => replace(text, value),
        (None, Some(value)) => *target = Some(value.to_string()),
        (_, None) => *target = None,
    }
}
