//! A workbook's sheets through calamine (xlsx and the old xls), guarded: calamine reads what a file says
//! and, on some damaged files, panics (an index out of range, an overflow) where it should return an
//! error, or asks for absurd amounts of memory. A damaged file is an error naming it, never a crash.
//! Sheets are loaded one at a time, when they are read.

use super::sheet::Sheet;
use crate::FileError;
use calamine::Reader;
use std::io::Cursor;

/// The most cells a sheet may span: rows from its first value to its last, times columns from A to its
/// last value. A KDP report is at most tens of thousands of rows of a few dozen columns. calamine holds a
/// sheet as one dense block, so a small file with a value in A1 and another in XFD1048576 would ask for
/// half a terabyte and abort the process (tafia/calamine#693).
pub(super) const MAX_SHEET_CELLS: u64 = 10_000_000;

pub struct Workbook {
    book: calamine::Sheets<Cursor<Vec<u8>>>,
}

/// A workbook calamine could not read, in words a creator can act on: calamine's own messages ("Zip
/// error: invalid Zip archive: Could not find EOCD") name its internals, not what happened to the file.
fn damaged(e: &dyn std::fmt::Display) -> FileError {
    let text = e.to_string();
    let what = if text.contains("EOCD") || text.contains("Zip error") {
        "its end is missing or broken"
    } else if text.contains("File not found") || text.contains("not found") {
        "parts every Excel workbook has are missing"
    } else if let Some(sheet) = text
        .strip_prefix("sheet '")
        .and_then(|t| t.split('\'').next())
    {
        return FileError::Unrecognized(format!(
            "this workbook is damaged or incomplete (perhaps it was not fully downloaded): its sheet \
             '{sheet}' cannot be read; download it again"
        ));
    } else {
        "its contents cannot be read"
    };
    FileError::Unrecognized(format!(
        "this workbook is damaged or incomplete (perhaps it was not fully downloaded): {what}; \
         download it again"
    ))
}

/// Runs calamine code, turning its panic into the error of a damaged file. The panic's message is still
/// printed by the panic hook, which is global and so is left alone.
fn guarded<T>(work: impl FnOnce() -> Result<T, FileError>) -> Result<T, FileError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
        .unwrap_or_else(|_| Err(damaged(&"the file is damaged")))
}

impl Workbook {
    /// Opens the xlsx or xls in `bytes` (told by its first bytes).
    pub fn open(bytes: Vec<u8>) -> Result<Workbook, FileError> {
        guarded(move || {
            let book = if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
                calamine::Sheets::Xls(
                    calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| damaged(&e))?,
                )
            } else {
                calamine::Sheets::Xlsx(
                    calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| damaged(&e))?,
                )
            };
            Ok(Workbook { book })
        })
    }

    pub fn sheet_names(&self) -> Vec<String> {
        self.book.sheet_names()
    }

    /// The sheet called `name`.
    pub fn sheet(&mut self, name: &str) -> Result<Sheet, FileError> {
        guarded(|| {
            if let calamine::Sheets::Xlsx(xlsx) = &mut self.book {
                check_xlsx_span(xlsx, name)?;
            }
            let range = self
                .book
                .worksheet_range(name)
                .map_err(|e| damaged(&format!("sheet '{name}': {e}")))?;
            let first_column = range.start().map_or(0, |(_, c)| c);
            // Rows are read from column A: an xls sheet (whose cells calamine read when it opened the
            // file) may hold its values far to the right.
            too_large(
                name,
                range.height() as u64,
                u64::from(first_column) + range.width() as u64,
            )?;
            Ok(Sheet::of_range(name.to_string(), range))
        })
    }
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
    while let Some(cell) = cells
        .next_cell()
        .map_err(|e| damaged(&format!("sheet '{name}': {e}")))?
    {
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
