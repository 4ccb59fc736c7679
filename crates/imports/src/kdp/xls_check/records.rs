//! The Workbook stream's BIFF records, as calamine's `Xls::parse_workbook` reads them: the sheets and
//! the shared strings in the globals, then each sheet's DIMENSIONS and cell records, held to the
//! bounds (`super::Bounds`) sheet by sheet and all sheets together.

use super::{u16_at, u32_at, Bounds};

/// A BIFF record (type, length, data) and the CONTINUE records (0x003C) right after it.
struct Record<'a> {
    typ: u16,
    data: &'a [u8],
    cont: Vec<&'a [u8]>,
}

/// The records of a stream from some point on, as calamine's `RecordIter` reads them. Where calamine
/// stops with an error (a record longer than what is left), this ends.
struct Records<'a> {
    stream: &'a [u8],
}

impl<'a> Iterator for Records<'a> {
    type Item = Record<'a>;

    fn next(&mut self) -> Option<Record<'a>> {
        let read = |stream: &'a [u8]| -> Option<(u16, &'a [u8], &'a [u8])> {
            let typ = u16_at(stream, 0)?;
            let len = u16_at(stream, 2)? as usize;
            let data = stream.get(4..4 + len)?;
            Some((typ, data, &stream[4 + len..]))
        };
        let Some((typ, data, rest)) = read(self.stream) else {
            self.stream = &[];
            return None;
        };
        self.stream = rest;
        let mut cont = Vec::new();
        while self.stream.len() > 4 && u16_at(self.stream, 0) == Some(0x003C) {
            let Some((_, more, rest)) = read(self.stream) else {
                self.stream = &[];
                return None;
            };
            cont.push(more);
            self.stream = rest;
        }
        Some(Record { typ, data, cont })
    }
}

/// A record's data, read on into its CONTINUE records (calamine's `Record::continue_record`).
struct Continued<'a, 'r> {
    data: &'a [u8],
    cont: std::slice::Iter<'r, &'a [u8]>,
}

impl Continued<'_, '_> {
    fn continue_record(&mut self) -> bool {
        match self.cont.next() {
            Some(next) => {
                self.data = next;
                true
            }
            None => false,
        }
    }

    /// Skips `len` bytes (calamine's `Record::skip`); None where calamine fails.
    fn skip(&mut self, mut len: usize) -> Option<()> {
        while len > 0 {
            if self.data.is_empty() && !self.continue_record() {
                return None;
            }
            let n = len.min(self.data.len());
            self.data = &self.data[n..];
            len -= n;
        }
        Some(())
    }

    /// Takes `n` bytes (at most what is left of this part).
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let (taken, rest) = self.data.split_at_checked(n)?;
        self.data = rest;
        Some(taken)
    }
}

/// The stated length, in characters, of each string of a shared strings record (SST, 0x00FC), as far as
/// calamine's `parse_sst` reads them; refuses more than `bounds.shared_strings` of them.
fn shared_string_lengths(r: &Record<'_>, bounds: &Bounds) -> Result<Vec<u16>, String> {
    let mut lengths = Vec::new();
    let Some(data) = r.data.get(8..) else {
        return Ok(lengths);
    };
    let mut r = Continued {
        data,
        cont: r.cont.iter(),
    };
    // A string cut short ends the list (calamine fails there: the workbook is not opened).
    while !r.data.is_empty() || r.continue_record() {
        let Some(length) = rich_extended_string(&mut r) else {
            break;
        };
        lengths.push(length);
        if lengths.len() > bounds.shared_strings {
            return Err(format!(
                "its shared strings are more than {}, far more than a KDP report",
                bounds.shared_strings
            ));
        }
    }
    Ok(lengths)
}

/// Reads past one `XLUnicodeRichExtendedString` as calamine's `read_rich_extended_string` does, giving
/// its stated length in characters; None where calamine fails.
fn rich_extended_string(r: &mut Continued<'_, '_>) -> Option<u16> {
    if r.data.is_empty() {
        return Some(0);
    }
    let head = r.take(3)?;
    let (chars, flags) = (u16::from_le_bytes([head[0], head[1]]), head[2]);
    let mut runs = 0usize;
    if flags & 0x8 != 0 {
        runs = u16_at(r.take(2)?, 0)? as usize;
    }
    let mut ext = 0usize;
    if flags & 0x4 != 0 {
        // calamine reads a signed length and makes it a usize: -1 is usize::MAX.
        ext = u32_at(r.take(4)?, 0)? as i32 as usize;
    }
    let mut left = chars as usize;
    let mut high_byte = flags & 0x1 != 0;
    while left > 0 {
        let (n, bytes) = if high_byte {
            let n = (r.data.len() / 2).min(left);
            (n, 2 * n)
        } else {
            let n = r.data.len().min(left);
            (n, n)
        };
        r.data = &r.data[bytes..];
        left -= n;
        if left > 0 {
            if !r.continue_record() {
                return None;
            }
            high_byte = r.take(1)?[0] & 0x1 != 0;
        }
    }
    r.skip(runs * 4)?;
    r.skip(ext)?;
    Some(chars)
}

/// The rows and columns a DIMENSIONS record says its sheet spans, as calamine's `parse_dimensions` reads
/// them and `parse_workbook` counts them (with u32 arithmetic that wraps in a release build); None where
/// calamine fails.
fn dimensions(r: &[u8]) -> Option<(u64, u64)> {
    let (first_row, row_end, mut first_column, column_end) = match r.len() {
        10 => (
            u32::from(u16_at(r, 0)?),
            u32::from(u16_at(r, 2)?),
            u32::from(u16_at(r, 4)?),
            u32::from(u16_at(r, 6)?),
        ),
        14 | 16 => (
            u32_at(r, 0)?,
            u32_at(r, 4)?,
            u32::from(u16_at(r, 8)?),
            u32::from(u16_at(r, 10)?),
        ),
        _ => return None,
    };
    if first_column > 0xFF || column_end < first_column {
        first_column = 0;
    }
    let (last_row, last_column) = if row_end >= 1 && column_end >= 1 {
        (row_end - 1, column_end - 1)
    } else {
        (first_row, first_column)
    };
    let count = |first: u32, last: u32| u64::from(last.wrapping_sub(first).wrapping_add(1));
    Some((count(first_row, last_row), count(first_column, last_column)))
}

/// Where a sheet's cells lie: its first and last rows and its last column.
#[derive(Default)]
struct Span {
    rows_and_last_column: Option<(u32, u32, u32)>,
}

impl Span {
    fn add(&mut self, (row, column): (u32, u32)) {
        self.rows_and_last_column = Some(match self.rows_and_last_column {
            None => (row, row, column),
            Some((first, last, last_column)) => {
                (first.min(row), last.max(row), last_column.max(column))
            }
        });
    }

    /// Rows from the first to the last, and columns from A to the last.
    fn rows_and_columns(&self) -> (u64, u64) {
        self.rows_and_last_column
            .map_or((0, 0), |(first, last, last_column)| {
                (u64::from(last - first) + 1, u64::from(last_column) + 1)
            })
    }

    /// Refuses the span of sheet `name` if it is more than `bound` cells; else its cells.
    fn check(&self, name: &str, bound: u64) -> Result<u64, String> {
        let (rows, columns) = self.rows_and_columns();
        let cells = rows.saturating_mul(columns);
        if cells > bound {
            return Err(format!(
                "sheet '{}' spans {rows} rows and {columns} columns, far more than a KDP report",
                name.trim()
            ));
        }
        Ok(cells)
    }
}

/// A cell record's (row, column).
fn position(data: &[u8]) -> Option<(u32, u32)> {
    Some((u32::from(u16_at(data, 0)?), u32::from(u16_at(data, 2)?)))
}

/// A BOUNDSHEET8 record's sheet: where its records start in the stream, and its name (for messages).
fn bound_sheet(data: &[u8], biff8: bool) -> Option<(usize, String)> {
    let at = u32_at(data, 0)? as usize;
    let chars = usize::from(*data.get(6).unwrap_or(&0));
    let high_byte = biff8 && data.get(7).is_some_and(|f| f & 0x1 != 0);
    let text = data.get(if biff8 { 8 } else { 7 }..).unwrap_or_default();
    let mut name: String = if high_byte {
        let units: Vec<u16> = text
            .chunks_exact(2)
            .take(chars)
            .map(|u| u16::from_le_bytes([u[0], u[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        text.iter().take(chars).map(|b| char::from(*b)).collect()
    };
    name.retain(|c| c != '\0');
    Some((at, name))
}

/// The BIFF version a BOF record (0x0809) sets, as calamine's `parse_bof` reads it: whether it is BIFF8
/// (a sheet name has a flags byte). None where calamine panics (a record shorter than 2 bytes).
fn is_biff8(data: &[u8]) -> Option<bool> {
    let version = u16_at(data, 0)?;
    let substream = u16_at(data, 2).unwrap_or(0);
    Some(match version {
        0x0200 | 0x0002 | 0x0007 | 0x0300 | 0x0400 | 0x0500 => false,
        0 => substream != 0x1000,
        _ => true,
    })
}

/// Refuses a Workbook stream whose sheets calamine would make too large (see `xls_check`'s comment).
/// Where calamine would fail on a record, this goes on as if it did not: it may refuse a file calamine
/// would refuse anyway, never pass one calamine would read too large.
pub(super) fn check_records(stream: &[u8], bounds: &Bounds) -> Result<(), String> {
    // The globals, up to their EOF: the sheets, and the shared strings.
    let mut biff8 = true;
    let mut sheets = Vec::new();
    let mut shared_strings = Vec::new();
    for r in (Records { stream }) {
        match r.typ {
            // FilePass: calamine refuses an encrypted workbook (and panics on a record too short).
            0x002F if u16_at(r.data, 0).is_none_or(|v| v != 0) => return Ok(()),
            0x0809 => match is_biff8(r.data) {
                Some(b) => biff8 = b,
                None => return Ok(()),
            },
            0x0085 => sheets.extend(bound_sheet(r.data, biff8)),
            0x00FC => shared_strings = shared_string_lengths(&r, bounds)?,
            0x000A => break,
            _ => {}
        }
    }

    let mut workbook_cells = 0u64;
    let mut text_chars = 0u64;
    for (at, name) in &sheets {
        // calamine panics on a sheet that starts past the stream's end, and reads no further.
        let Some(records) = stream.get(*at..) else {
            return Ok(());
        };
        let mut values = Span::default();
        let mut formulas = Span::default();
        let mut count = 0u64;
        let mut formula_at = (0, 0);
        let mut seen_bof = false;
        let mut depth = 0usize;
        for r in (Records { stream: records }) {
            // An embedded substream (a chart), between its BOF and EOF, is skipped.
            if depth > 0 {
                match r.typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let mut text = 0u64;
            match r.typ {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x0200 => {
                    if let Some((rows, columns)) = dimensions(r.data) {
                        if rows.saturating_mul(columns) > bounds.sheet_cells {
                            return Err(format!(
                                "sheet '{}' says it spans {rows} rows and {columns} columns (its \
                                 DIMENSIONS record), far more than a KDP report",
                                name.trim()
                            ));
                        }
                    }
                }
                // NUMBER, BOOLERR, RK.
                0x0203 | 0x0205 | 0x027E => {
                    if let Some(at) = position(r.data) {
                        values.add(at);
                        count += 1;
                    }
                }
                // LABEL, RSTRING: a string of the length stated at byte 6.
                0x0204 | 0x00D6 => {
                    if let Some(at) = position(r.data) {
                        values.add(at);
                        count += 1;
                        text = u16_at(r.data, 6).map_or(0, u64::from);
                    }
                }
                // LABELSST: a copy of a shared string.
                0x00FD => {
                    if let Some(at) = position(r.data) {
                        values.add(at);
                        count += 1;
                        text = u32_at(r.data, 6)
                            .and_then(|i| shared_strings.get(i as usize))
                            .map_or(0, |l| u64::from(*l));
                    }
                }
                // STRING: the value of the formula before it (or of A1).
                0x0207 => {
                    values.add(formula_at);
                    count += 1;
                    text = u16_at(r.data, 0).map_or(0, u64::from);
                }
                // MULRK: a row's values from a first column on, 6 bytes each.
                0x00BD => {
                    if let Some((row, first)) = position(r.data) {
                        let n = r.data.len().saturating_sub(6).div_ceil(6) as u32;
                        if n > 0 {
                            values.add((row, first));
                            values.add((row, first + n - 1));
                            count += u64::from(n);
                        }
                    }
                }
                // FORMULA: a value, and a formula in a range of its own.
                0x0006 => {
                    if let Some(at) = position(r.data) {
                        formula_at = at;
                        values.add(at);
                        formulas.add(at);
                        count += 2;
                    }
                }
                0x000A => break,
                _ => {}
            }
            if count > bounds.sheet_cells {
                return Err(format!(
                    "sheet '{}' holds more than {} values, far more than a KDP report",
                    name.trim(),
                    bounds.sheet_cells
                ));
            }
            text_chars += text;
            if text_chars > bounds.text_chars {
                return Err(format!(
                    "its cells' text is more than {} characters long, far more than a KDP report",
                    bounds.text_chars
                ));
            }
        }
        workbook_cells += values.check(name, bounds.sheet_cells)?;
        workbook_cells += formulas.check(name, bounds.sheet_cells)?;
        if workbook_cells > bounds.workbook_cells {
            return Err(format!(
                "its sheets together span more than {} cells, far more than a KDP report",
                bounds.workbook_cells
            ));
        }
    }
    Ok(())
}
