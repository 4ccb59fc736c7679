//! Amazon KDP reports: the Dashboard's workbook (`KDP_Dashboard-*.xlsx`: estimated royalties per day) and
//! the Prior Months' Royalties workbook (`KDP_Prior_Month_Royalties-*.xlsx`: a month's final figures,
//! its period on the first row), the old `.xls`, and their sheets saved as CSV by a spreadsheet program.
//!
//! Which sheets count: Combined Sales repeats the per-format royalty sheets, so a Dashboard gives its
//! royalties from Combined Sales when it has one and from the per-format sheets otherwise, plus its KENP
//! pages; a Prior Months' workbook gives everything from Total Earnings (KENP earnings included) when it
//! has one, else from its royalty and KENP sheets. Events carry their period (month and marketplace) so
//! that the ledger lets final figures replace the estimates of the same month and marketplace.
//!
//! A workbook's bytes are held (calamine needs random access to the zip; a KDP report is a few MB), its
//! sheets are loaded one at a time as they are read, and rows become events only when asked for, so memory
//! follows the largest sheet read, not the whole file.

mod language;
mod marketplace;
mod sheet;
mod workbook;
mod xls_check;
mod zip_check;

use crate::amount::DecimalMark;
use crate::mapping::open_csv;
use crate::source::Reading;
use crate::{FileError, Item};
use language::{Language, SheetRole};
use sheet::{Cell, Kind, OpenSheet, RowOutcome, Sheet, SheetReader};
use std::collections::VecDeque;
use std::io::Read;
use workbook::Workbook;

pub const WORKBOOK_FORMAT: &str = "kdp-workbook";
pub const CSV_FORMAT: &str = "kdp-csv";

/// A workbook larger than this is not a KDP report (a year of daily rows is a few megabytes).
const MAX_WORKBOOK_BYTES: u64 = 256 * 1024 * 1024;

/// A sheet still to read: loaded already (to read its period, or the one sheet of a CSV), or by name.
enum Planned {
    Loaded(Sheet, SheetRole),
    Named(String, SheetRole),
}

/// A KDP file being read: the sheets that count, in order, each row read when asked for.
pub struct KdpReader {
    book: Option<Workbook>,
    plan: VecDeque<Planned>,
    current: Option<OpenSheet>,
    reader: SheetReader,
    format: &'static str,
    reading: Reading,
    rows_read: u64,
    warnings: Vec<String>,
}

impl KdpReader {
    /// The next event or rejected row; None at the end. A sheet that cannot be read (no header, a
    /// damaged part of the workbook) fails the file.
    pub fn next_item(&mut self) -> Result<Option<Item>, FileError> {
        loop {
            if let Some(open) = &mut self.current {
                if let Some(outcome) = self.reader.next(open) {
                    self.rows_read += 1;
                    return Ok(Some(match outcome {
                        RowOutcome::Event(e) => Item::Event(*e),
                        RowOutcome::Rejected(e) => Item::Rejected(e),
                    }));
                }
                self.current = None;
            }
            let (sheet, role) = match self.plan.pop_front() {
                None => return Ok(None),
                Some(Planned::Loaded(sheet, role)) => (sheet, role),
                Some(Planned::Named(name, role)) => match &mut self.book {
                    Some(book) => (book.sheet(&name)?, role),
                    None => return Ok(None),
                },
            };
            self.current = Some(
                self.reader
                    .open(sheet, role)
                    .map_err(FileError::Unrecognized)?,
            );
        }
    }
    pub fn format(&self) -> &'static str {
        self.format
    }
    pub fn reading(&self) -> &Reading {
        &self.reading
    }
    /// Rows read so far.
    pub fn rows_read(&self) -> u64 {
        self.rows_read
    }
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

/// Whether `start` (a file's first bytes) is a workbook: a zip (xlsx) or an OLE compound file (xls).
pub fn is_workbook(start: &[u8]) -> bool {
    start.starts_with(b"PK\x03\x04") || start.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
}

/// Reads a KDP workbook (xlsx or xls).
pub fn read_workbook<R: Read>(input: R) -> Result<KdpReader, FileError> {
    let mut bytes = Vec::new();
    input.take(MAX_WORKBOOK_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.is_empty() {
        return Err(FileError::Empty);
    }
    if !is_workbook(&bytes) {
        return Err(FileError::Unrecognized(
            "this is not an .xlsx or .xls workbook (its first bytes are not a workbook's)".into(),
        ));
    }
    if bytes.len() as u64 > MAX_WORKBOOK_BYTES {
        return Err(FileError::Unrecognized(format!(
            "the workbook is larger than {} MiB, far more than a KDP report",
            MAX_WORKBOOK_BYTES >> 20
        )));
    }
    zip_check::check_xlsx(&bytes)?;
    xls_check::check_xls(&bytes)?;
    let mut book = Workbook::open(bytes)?;
    let names = book.sheet_names();
    let language = language::of_sheets(names.iter().map(String::as_str)).ok_or_else(|| {
        let shown: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
        FileError::Unrecognized(format!(
            "the workbook's sheets ({}) are not KDP report sheets in a language Tributary knows \
             (English, Spanish, Japanese)",
            shown.join(", ")
        ))
    })?;
    let mut roles = Vec::new();
    let mut warnings = Vec::new();
    for name in names {
        match language.role(&name) {
            Some(role) => roles.push((name, role)),
            None => warnings.push(format!(
                "sheet '{name}' is not a {} KDP sheet Tributary reads; it was left out",
                language.name
            )),
        }
    }
    // The first sheet that counts tells a Dashboard from a Prior Months' report (its period on row 1).
    let first = match roles.iter().find(|(_, r)| *r != SheetRole::Ignored) {
        Some((name, _)) => Some(book.sheet(name)?),
        None => None,
    };
    let opened = Opened {
        language,
        roles,
        first,
        warnings,
    };
    opened.plan(
        Some(book),
        WORKBOOK_FORMAT,
        DecimalMark::Point,
        Reading::default(),
    )
}

/// A file's sheets as far as they are known before reading rows.
struct Opened {
    language: &'static Language,
    roles: Vec<(String, SheetRole)>,
    /// The first sheet that counts, loaded to read its period.
    first: Option<Sheet>,
    warnings: Vec<String>,
}

impl Opened {
    /// Chooses the sheets that count (Combined Sales or the per-format sheets, plus KENP, for a
    /// Dashboard; Total Earnings, or else the royalty and KENP sheets, for a Prior Months' report).
    fn plan(
        self,
        book: Option<Workbook>,
        format: &'static str,
        mark: DecimalMark,
        mut reading: Reading,
    ) -> Result<KdpReader, FileError> {
        let period = self
            .first
            .as_ref()
            .and_then(sales_period)
            .transpose()
            .map_err(FileError::Unrecognized)?;
        let kind = match period {
            Some((year, month)) => Kind::Final { year, month },
            None => Kind::Estimated,
        };
        let has = |role: SheetRole| self.roles.iter().any(|(_, r)| *r == role);
        let wanted: &[SheetRole] = match kind {
            Kind::Final { .. } if has(SheetRole::TotalEarnings) => &[SheetRole::TotalEarnings],
            Kind::Estimated if has(SheetRole::CombinedSales) => {
                &[SheetRole::CombinedSales, SheetRole::KenpRead]
            }
            _ => &[SheetRole::FormatRoyalty, SheetRole::KenpRead],
        };
        let mut first = self.first;
        let mut plan = VecDeque::new();
        for (name, role) in self.roles {
            if !wanted.contains(&role) {
                continue;
            }
            if format == WORKBOOK_FORMAT {
                reading.sheets.push(name.trim().to_string());
            }
            plan.push_back(match first.take_if(|s| s.name == name) {
                Some(sheet) => Planned::Loaded(sheet, role),
                None => Planned::Named(name, role),
            });
        }
        if plan.is_empty() {
            return Err(FileError::Unrecognized(format!(
                "the {} workbook has no royalty or KENP sheet",
                self.language.name
            )));
        }
        reading.date_format = Some(match kind {
            Kind::Estimated => "YYYY-MM-DD".into(),
            Kind::Final { year, month } => format!("one month: {year}-{month:02} (final)"),
        });
        Ok(KdpReader {
            book,
            plan,
            current: None,
            reader: SheetReader::new(self.language, kind, mark),
            format,
            reading,
            rows_read: 0,
            warnings: self.warnings,
        })
    }
}

/// Reads a KDP sheet saved as CSV (any encoding and delimiter the CSV reader knows).
pub fn read_csv<R: Read>(input: R) -> Result<KdpReader, FileError> {
    let (mut csv, peeked) = open_csv(input)?;
    let mut rows: Vec<(u64, Vec<Cell>)> = vec![(
        1,
        peeked
            .header
            .iter()
            .map(|h| Cell::Text(h.clone()))
            .collect(),
    )];
    let mut record = csv::StringRecord::new();
    while csv.read_record(&mut record).map_err(FileError::from_csv)? {
        let line = record.position().map_or(0, |p| p.line());
        rows.push((
            line,
            record.iter().map(|f| Cell::Text(f.to_string())).collect(),
        ));
    }
    let values: Vec<String> = rows
        .iter()
        .flat_map(|(_, cells)| cells.iter())
        .filter_map(|c| match c {
            Cell::Text(t)
                if t.trim()
                    .starts_with(|c: char| c == '-' || c.is_ascii_digit()) =>
            {
                Some(t.clone())
            }
            _ => None,
        })
        .filter(|t| !t.contains(['/', ':']) && t.matches('-').count() <= 1)
        .collect();
    let mark = DecimalMark::detect(values.iter().map(String::as_str));
    let sheet = Sheet::of_cells("CSV".into(), rows);
    let header: Vec<String> = (0..sheet.len().min(6))
        .filter_map(|i| sheet.row(i))
        .flat_map(|(_, cells)| cells.iter().map(Cell::text).collect::<Vec<_>>())
        .collect();
    let language = language::of_header(&header).ok_or_else(|| {
        FileError::Unrecognized(
            "no header row of a KDP sheet Tributary knows (English, Spanish, Japanese)".into(),
        )
    })?;
    let role = csv_role(language, &header);
    let reading = Reading::of_csv(peeked.encoding, peeked.delimiter, Some(mark), "YYYY-MM-DD");
    let opened = Opened {
        language,
        roles: vec![("CSV".into(), role)],
        first: Some(sheet),
        warnings: peeked.encoding.warning().into_iter().collect(),
    };
    opened.plan(None, CSV_FORMAT, mark, reading)
}

/// Whether a CSV header (its first line) is a KDP sheet's: a Prior Months' period line, or a header
/// naming a product, a marketplace and royalties or KENP pages in a language Tributary knows.
pub fn is_kdp_header(header: &[String]) -> bool {
    let period_line = header
        .first()
        .is_some_and(|first| language::of_sales_period(first).is_some());
    period_line
        || language::of_header(header).is_some_and(|l| {
            header.iter().any(|h| {
                matches!(
                    l.field(h).map(|(f, _)| f),
                    Some(language::Field::Royalty | language::Field::KenpPages)
                )
            })
        })
}

/// The month a Prior Months' sheet is for, from its first row (`Sales Period | March 2026`).
fn sales_period(sheet: &Sheet) -> Option<Result<(i32, u32), String>> {
    let (_, first) = sheet.row(0)?;
    let label = match first.first()? {
        Cell::Text(t) => t.trim(),
        _ => return None,
    };
    let language = language::of_sales_period(label)?;
    let value = first
        .iter()
        .skip(1)
        .find(|c| !matches!(c, Cell::Empty))
        .cloned()
        .unwrap_or(Cell::Empty);
    let month = match &value {
        Cell::Text(t) => language::LANGUAGES.iter().find_map(|l| l.month(t)),
        Cell::Date(d) => {
            use chrono::Datelike;
            Some((d.year(), d.month()))
        }
        _ => None,
    };
    Some(month.ok_or_else(|| {
        format!(
            "sheet '{}': the sales period {:?} is not a month ({} like \"{} 2026\")",
            sheet.name.trim(),
            value,
            language.name,
            language.months[2]
        )
    }))
}

/// What a sheet saved as CSV holds, from its header's columns.
fn csv_role(language: &Language, header: &[String]) -> SheetRole {
    let fields: Vec<language::Field> = header
        .iter()
        .filter_map(|h| language.field(h).map(|(f, _)| f))
        .collect();
    if fields.contains(&language::Field::KenpPages) {
        SheetRole::KenpRead
    } else if fields.contains(&language::Field::PayoutPlan) {
        SheetRole::TotalEarnings
    } else {
        SheetRole::FormatRoyalty
    }
}
