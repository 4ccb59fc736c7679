//! A look inside an xls (an OLE compound file around a BIFF8 Workbook stream) before calamine opens
//! it. calamine 0.38 reads the whole workbook when it opens an xls, every sheet into one dense block, and
//! takes what the file says on trust; a small damaged file can make it ask for terabytes, and an
//! allocation failure aborts the process (it cannot be caught as a panic, as `workbook.rs` catches
//! calamine's other failures). What is refused here, as calamine would read it:
//!
//! - a chain of sectors in the compound file that comes back on itself before the length it is read to
//!   (calamine goes round and round it: the directory's for ever, a stream's up to its stated length), and
//!   a stream, or a FAT, larger than the whole file;
//! - a sheet whose DIMENSIONS record (0x0200) says it spans more than `MAX_SHEET_CELLS` (calamine reserves
//!   room for them all), or whose values span more: from its first row to its last, and from column A to
//!   its last column, as `workbook.rs` measures a sheet (calamine makes the span one block);
//! - anything past the other bounds in `BOUNDS`: the spans of all sheets together (calamine holds every
//!   sheet at once), a sheet's values, the text of all cells (calamine reserves a string's stated length,
//!   and copies a shared string into every cell that uses it), the shared strings.
//!
//! Left to calamine: the text of formulas, which it writes out for every FORMULA record (a reference of
//! 7 bytes to a sheet may become that sheet's name, up to 255 characters): it takes tens of megabytes
//! of formulas, which a KDP report never has, to cost gigabytes.
//!
//! `container.rs` finds the Workbook stream in the compound file as calamine does, refusing chains of
//! sectors that loop or outrun the file; `records.rs` reads that stream's records and holds the sheets to
//! `BOUNDS`. The tests are in `tests.rs`; the workbooks they check, made byte by byte, in
//! `test_files.rs`.

mod container;
mod records;
#[cfg(test)]
mod test_files;
#[cfg(test)]
mod tests;

use super::workbook::MAX_SHEET_CELLS;
use crate::FileError;
use container::{workbook_stream, Stop};
use records::check_records;

/// An OLE compound file's first bytes. calamine opens a file that starts with the first four of them as
/// an xls and refuses one without all eight.
const OLE_SIGNATURE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// What a workbook may hold, far beyond a KDP report (tens of thousands of rows of a few dozen columns,
/// a few sheets) and well within what calamine can hold.
struct Bounds {
    /// Cells a sheet may span, or say it spans (`MAX_SHEET_CELLS`, which `workbook.rs` holds sheets to).
    sheet_cells: u64,
    /// Cells all the sheets together may span: calamine holds them all at once, at 32 bytes a cell.
    workbook_cells: u64,
    /// Characters of text the cells may take, all sheets together: calamine reserves a string's stated
    /// length (up to 65,535 characters, whatever the record holds) and copies a shared string into every
    /// cell that uses it, so a record of 14 bytes may cost 64 KiB or more.
    text_chars: u64,
    /// Shared strings the workbook may hold (as `zip_check.rs` allows an xlsx): a `String` each.
    shared_strings: usize,
}

const BOUNDS: Bounds = Bounds {
    sheet_cells: MAX_SHEET_CELLS,
    workbook_cells: 2 * MAX_SHEET_CELLS,
    text_chars: 50_000_000,
    shared_strings: 10_000_000,
};

/// Refuses an xls that would make calamine allocate far more than a KDP report needs, or go round a
/// chain of sectors that loops; `Ok` for anything else (an xlsx, a file calamine refuses by itself).
pub(super) fn check_xls(bytes: &[u8]) -> Result<(), FileError> {
    if !bytes.starts_with(OLE_SIGNATURE) {
        return Ok(());
    }
    let refused = |reason: String| {
        FileError::Unrecognized(format!("this is not a readable workbook: {reason}"))
    };
    match workbook_stream(bytes) {
        Ok(stream) => check_records(&stream, &BOUNDS).map_err(refused),
        Err(Stop::Refused(reason)) => Err(refused(reason)),
        Err(Stop::Error | Stop::Panic) => Ok(()),
    }
}

// Little-endian numbers at a byte offset, for the container and the records alike: None past the end.

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        b.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}
