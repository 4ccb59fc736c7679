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
//! KDP reports are small (a month is a few thousand rows), so a workbook is read whole; calamine needs
//! random access to the zip anyway.

mod language;
mod marketplace;
mod sheet;

use crate::amount::DecimalMark;
use crate::mapping::open_csv;
use crate::source::Reading;
use crate::{FileError, Item};
use calamine::{Data, Reader};
use language::{Language, SheetRole};
use sheet::{Cell, Kind, RowOutcome, Sheet, SheetReader};
use std::collections::VecDeque;
use std::io::{Cursor, Read};

pub const WORKBOOK_FORMAT: &str = "kdp-workbook";
pub const CSV_FORMAT: &str = "kdp-csv";

/// A workbook larger than this is not a KDP report (a year of daily rows is a few megabytes).
const MAX_WORKBOOK_BYTES: u64 = 256 * 1024 * 1024;

/// What a KDP file gives: its events, read when the file was opened.
pub struct KdpReader {
    items: VecDeque<Item>,
    format: &'static str,
    reading: Reading,
    rows_read: u64,
    warnings: Vec<String>,
}

impl KdpReader {
    pub fn next_item(&mut self) -> Option<Item> {
        self.items.pop_front()
    }
    pub fn format(&self) -> &'static str {
        self.format
    }
    pub fn reading(&self) -> &Reading {
        &self.reading
    }
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
    let sheets = workbook_sheets(bytes)?;
    read_sheets(
        &sheets,
        WORKBOOK_FORMAT,
        DecimalMark::Point,
        Reading::default(),
    )
}

/// The most cells a sheet may span: rows from its first value to its last, times columns from A to its
/// last value. A KDP report is at most tens of thousands of rows of a few dozen columns. calamine holds a
/// sheet as one dense block (and so do the rows below), so a small file with a value in A1 and another in
/// XFD1048576 would ask for half a terabyte and abort the process (tafia/calamine#693).
const MAX_SHEET_CELLS: u64 = 10_000_000;

/// Every sheet of the workbook in `bytes`, as cells.
fn workbook_sheets(bytes: Vec<u8>) -> Result<Vec<Sheet>, FileError> {
    // calamine reads what a file says, and on some damaged files panics (an index out of range, an
    // arithmetic overflow) where it should return an error: that is a damaged file, not a crash. The
    // panic's message is still printed by the panic hook, which is global and so is left alone.
    std::panic::catch_unwind(move || calamine_sheets(bytes)).unwrap_or_else(|_| {
        Err(FileError::Unrecognized(
            "this is not a readable workbook: the file is damaged".into(),
        ))
    })
}

/// A sheet's span refused by `MAX_SHEET_CELLS`, if it is too large.
fn too_large(name: &str, rows: u64, columns: u64) -> Result<(), FileError> {
    if rows.saturating_mul(columns) > MAX_SHEET_CELLS {
        return Err(FileError::Unrecognized(format!(
            "sheet '{}' spans {rows} rows and {columns} columns, far more than a KDP report",
            name.trim()
        )));
    }
    Ok(())
}

/// Refuses an xlsx sheet that spans more than `MAX_SHEET_CELLS`, reading its cells once without holding
/// them, before calamine makes the sheet one block.
fn check_xlsx_span(
    xlsx: &mut calamine::Xlsx<Cursor<Vec<u8>>>,
    name: &str,
) -> Result<(), FileError> {
    // A sheet the cell reader cannot open is left to `worksheet_range`, which tells why.
    let Ok(mut cells) = xlsx.worksheet_cells_reader(name) else {
        return Ok(());
    };
    let (mut first_row, mut last_row, mut last_column) = (u32::MAX, 0, 0);
    while let Some(cell) = cells.next_cell().map_err(|e| {
        FileError::Unrecognized(format!(
            "this is not a readable workbook: sheet '{name}': {e}"
        ))
    })? {
        if matches!(cell.get_value(), calamine::DataRef::Empty) {
            continue;
        }
        let (row, column) = cell.get_position();
        first_row = first_row.min(row);
        last_row = last_row.max(row);
        last_column = last_column.max(column);
    }
    if first_row > last_row {
        return Ok(());
    }
    too_large(
        name,
        u64::from(last_row - first_row) + 1,
        u64::from(last_column) + 1,
    )
}

fn calamine_sheets(bytes: Vec<u8>) -> Result<Vec<Sheet>, FileError> {
    let damaged = |e: &dyn std::fmt::Display| {
        FileError::Unrecognized(format!("this is not a readable workbook: {e}"))
    };
    let is_xls = bytes.starts_with(b"\xD0\xCF\x11\xE0");
    let mut workbook: calamine::Sheets<Cursor<Vec<u8>>> = if is_xls {
        calamine::Sheets::Xls(
            calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| damaged(&e))?,
        )
    } else {
        calamine::Sheets::Xlsx(
            calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| damaged(&e))?,
        )
    };
    let names = workbook.sheet_names();
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        if let calamine::Sheets::Xlsx(xlsx) = &mut workbook {
            check_xlsx_span(xlsx, &name)?;
        }
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| damaged(&format!("sheet '{name}': {e}")))?;
        let (first_row, first_column) = range.start().unwrap_or((0, 0));
        // The rows below start at column A: an xls sheet (whose cells calamine read when it opened the
        // file) may hold its values far to the right.
        too_large(
            &name,
            range.height() as u64,
            u64::from(first_column) + range.width() as u64,
        )?;
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, row)| {
                // Cells left of the range's first column are empty; keep positions as in the sheet.
                let mut cells = vec![Cell::Empty; first_column as usize];
                cells.extend(row.iter().map(cell_of));
                (u64::from(first_row) + i as u64 + 1, cells)
            })
            .collect();
        sheets.push(Sheet { name, rows });
    }
    Ok(sheets)
}

fn cell_of(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Text(i.to_string()),
        Data::Bool(b) => Cell::Text(b.to_string()),
        Data::DateTime(d) => {
            // A date cell is a serial day count; its day is what KDP means.
            match chrono::NaiveDate::from_ymd_opt(1899, 12, 30).and_then(|epoch| {
                epoch.checked_add_signed(chrono::TimeDelta::try_days(d.as_f64().floor() as i64)?)
            }) {
                Some(day) => Cell::Date(day),
                None => Cell::Number(d.as_f64()),
            }
        }
        Data::Error(e) => Cell::Text(format!("#{e:?}")),
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
    let sheet = Sheet {
        name: "CSV".into(),
        rows,
    };
    let reading = Reading::of_csv(peeked.encoding, peeked.delimiter, Some(mark), "YYYY-MM-DD");
    let mut reader = read_sheets(std::slice::from_ref(&sheet), CSV_FORMAT, mark, reading)?;
    reader.warnings.extend(peeked.encoding.warning());
    Ok(reader)
}

/// Whether a CSV header (its first line) is a KDP sheet's: a Prior Months' period line, or a header
/// naming a product, a marketplace and royalties or KENP pages in a language Tributary knows.
pub fn is_kdp_header(header: &[String]) -> bool {
    let period_line = header.first().is_some_and(|first| {
        language::LANGUAGES
            .iter()
            .any(|l| l.sales_period.iter().any(|p| p.eq_ignore_ascii_case(first)))
    });
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
    let (_, first) = sheet.rows.first()?;
    let label = match first.first()? {
        Cell::Text(t) => t.trim(),
        _ => return None,
    };
    let language = language::LANGUAGES
        .iter()
        .find(|l| l.sales_period.iter().any(|p| p.eq_ignore_ascii_case(label)))?;
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

/// The events of a file's sheets.
fn read_sheets(
    sheets: &[Sheet],
    format: &'static str,
    mark: DecimalMark,
    mut reading: Reading,
) -> Result<KdpReader, FileError> {
    let csv = format == CSV_FORMAT;
    let language: &'static Language = if csv {
        let header: Vec<String> = sheets
            .iter()
            .flat_map(|s| s.rows.iter().take(6))
            .flat_map(|(_, cells)| cells.iter().map(|c| format!("{}", CellText(c))))
            .collect();
        language::of_header(&header).ok_or_else(|| {
            FileError::Unrecognized(
                "no header row of a KDP sheet Tributary knows (English, Spanish, Japanese)".into(),
            )
        })?
    } else {
        let names = sheets.iter().map(|s| s.name.as_str());
        language::of_sheets(names).ok_or_else(|| {
            let shown: Vec<String> = sheets.iter().map(|s| format!("'{}'", s.name)).collect();
            FileError::Unrecognized(format!(
                "the workbook's sheets ({}) are not KDP report sheets in a language Tributary knows \
                 (English, Spanish, Japanese)",
                shown.join(", ")
            ))
        })?
    };
    let mut warnings = Vec::new();
    let mut roles: Vec<(&Sheet, SheetRole)> = Vec::new();
    for sheet in sheets {
        if csv {
            let role = csv_role(language, sheet);
            roles.push((sheet, role));
            continue;
        }
        match language.role(&sheet.name) {
            Some(role) => roles.push((sheet, role)),
            None => warnings.push(format!(
                "sheet '{}' is not a {} KDP sheet Tributary reads; it was left out",
                sheet.name, language.name
            )),
        }
    }
    let period = roles
        .iter()
        .filter(|(_, r)| *r != SheetRole::Ignored)
        .find_map(|(s, _)| sales_period(s))
        .transpose()
        .map_err(FileError::Unrecognized)?;
    let kind = match period {
        Some((year, month)) => Kind::Final { year, month },
        None => Kind::Estimated,
    };
    let has = |role: SheetRole| roles.iter().any(|(_, r)| *r == role);
    let wanted: &[SheetRole] = match kind {
        Kind::Final { .. } if has(SheetRole::TotalEarnings) => &[SheetRole::TotalEarnings],
        Kind::Estimated if has(SheetRole::CombinedSales) => {
            &[SheetRole::CombinedSales, SheetRole::KenpRead]
        }
        _ => &[SheetRole::FormatRoyalty, SheetRole::KenpRead],
    };
    let chosen: Vec<&(&Sheet, SheetRole)> =
        roles.iter().filter(|(_, r)| wanted.contains(r)).collect();
    if chosen.is_empty() {
        return Err(FileError::Unrecognized(format!(
            "the {} workbook has no royalty or KENP sheet",
            language.name
        )));
    }
    let mut reader = SheetReader::new(language, kind, mark);
    let mut items = VecDeque::new();
    let mut rows_read = 0;
    for (sheet, role) in chosen {
        let outcomes = reader.read(sheet, *role).map_err(FileError::Unrecognized)?;
        for outcome in outcomes {
            match outcome {
                RowOutcome::Event(e) => items.push_back(Item::Event(*e)),
                RowOutcome::Rejected(e) => items.push_back(Item::Rejected(e)),
                RowOutcome::Nothing => continue,
            }
            rows_read += 1;
        }
        if !csv {
            reading.sheets.push(sheet.name.trim().to_string());
        }
    }
    if reading.date_format.is_none() {
        reading.date_format = Some(match kind {
            Kind::Estimated => "YYYY-MM-DD".into(),
            Kind::Final { year, month } => format!("one month: {year}-{month:02} (final)"),
        });
    } else if let Kind::Final { year, month } = kind {
        reading.date_format = Some(format!("one month: {year}-{month:02} (final)"));
    }
    Ok(KdpReader {
        items,
        format,
        reading,
        rows_read,
        warnings,
    })
}

/// What a sheet saved as CSV holds, from its header's columns.
fn csv_role(language: &Language, sheet: &Sheet) -> SheetRole {
    let fields: Vec<language::Field> = sheet
        .rows
        .iter()
        .take(6)
        .flat_map(|(_, cells)| cells.iter())
        .filter_map(|c| language.field(&format!("{}", CellText(c))).map(|(f, _)| f))
        .collect();
    if fields.contains(&language::Field::KenpPages) {
        SheetRole::KenpRead
    } else if fields.contains(&language::Field::PayoutPlan) {
        SheetRole::TotalEarnings
    } else {
        SheetRole::FormatRoyalty
    }
}

/// A cell's text, for matching header names.
struct CellText<'a>(&'a Cell);

impl std::fmt::Display for CellText<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Cell::Text(t) => f.write_str(t.trim()),
            _ => Ok(()),
        }
    }
}
