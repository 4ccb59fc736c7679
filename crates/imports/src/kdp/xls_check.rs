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
//! The compound file is walked here, not through the `cfb` crate, so that what is checked is what
//! calamine reads: calamine finds the Workbook stream by name among all directory entries (`cfb` walks the
//! directory's tree), reads sectors past the end of the file as zeros, and goes on through damage that
//! `cfb` refuses. Everything is modelled on calamine's `src/cfb.rs` and `src/xls.rs`; anything else wrong
//! with the file is left to calamine, which reports it (or panics, which `workbook.rs` catches).

use super::workbook::MAX_SHEET_CELLS;
use crate::FileError;

/// An OLE compound file's first bytes. calamine opens a file that starts with the first four of them as
/// an xls and refuses one without all eight.
const OLE_SIGNATURE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Sector ids at or above this are not sectors (calamine's `RESERVED_SECTORS`).
const RESERVED_SECTORS: u32 = 0xFFFF_FFFA;
/// A DIFAT entry below this names a FAT sector.
const DIFSECT: u32 = 0xFFFF_FFFC;
/// The end of a chain of sectors.
const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
/// calamine reads a stream shorter than this from the mini stream (whatever the header's cutoff says).
const MINI_STREAM_CUTOFF: usize = 4096;
/// The size of a sector of the mini stream.
const MINI_SECTOR_BYTES: usize = 64;
/// The number of DIFAT entries in the header.
const HEADER_DIFAT_ENTRIES: usize = 109;

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

/// Where the walk through the compound file stops short of the Workbook stream.
enum Stop {
    /// The file is refused, for this reason.
    Refused(String),
    /// calamine returns an error here.
    Error,
    /// calamine panics here (which `workbook.rs` catches).
    Panic,
}

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

/// `bytes` as little-endian u32s, as calamine's `to_u32` reads them (it panics on a length that is not a
/// multiple of 4).
fn u32s(bytes: &[u8]) -> Result<Vec<u32>, Stop> {
    if !bytes.len().is_multiple_of(4) {
        return Err(Stop::Panic);
    }
    Ok(bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect())
}

// ---------------------------------------------------------------------------------------------------
// The compound file, as calamine's `Cfb::new` and `Cfb::get_stream` read it.

/// The file's sectors as calamine's `cfb::Sectors` hands them out. It reads the file in order into a
/// cache, as far as the sectors asked for; asked for a sector past the end of the file, it gets what is
/// left of the file (maybe nothing) and pads the cache with zeros up to the sector's end, which later
/// reads of those sectors return.
struct Sectors<'a> {
    /// The file after its header.
    body: &'a [u8],
    size: usize,
    /// The highest sector id calamine reads: the file's length in sectors.
    maxid: u32,
    /// How much of the body calamine's cache holds, read or padded.
    cached: usize,
}

/// A sector as calamine sees it: bytes of the file, then zeros.
struct Sector<'a> {
    bytes: &'a [u8],
    zeros: usize,
}

impl Sector<'_> {
    fn len(&self) -> usize {
        self.bytes.len() + self.zeros
    }

    /// Appends the sector's first `n` bytes to `out`.
    fn append(&self, out: &mut Vec<u8>, n: usize) {
        let from_file = n.min(self.bytes.len());
        out.extend_from_slice(&self.bytes[..from_file]);
        out.resize(out.len() + (n - from_file), 0);
    }

    fn to_vec(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len());
        self.append(&mut out, self.len());
        out
    }
}

impl<'a> Sectors<'a> {
    /// Sector `id`, as calamine's `Sectors::get` returns it.
    fn get(&mut self, id: u32) -> Result<Sector<'a>, Stop> {
        if id > self.maxid {
            return Err(Stop::Error);
        }
        let start = id as usize * self.size;
        let end = start + self.size;
        let real = self.body.len();
        let stop = if end <= self.cached {
            end
        } else {
            // calamine reads on from where its cache ends, up to the sector's end or the file's.
            let read = if self.cached < real {
                end.min(real)
            } else {
                self.cached
            };
            self.cached = end;
            if start > read {
                return Err(Stop::Panic);
            }
            read
        };
        let bytes = &self.body[start.min(real)..stop.min(real)];
        Ok(Sector {
            bytes,
            zeros: stop - start - bytes.len(),
        })
    }

    /// The chain of sectors from `start`, up to `len` bytes, as calamine's `Sectors::get_chain` reads it
    /// through `next` (the FAT). A chain that comes back to a sector before it has `len` bytes is refused:
    /// calamine would go round it until it had.
    fn chain(&mut self, start: u32, next: &[u32], len: usize, what: &str) -> Result<Vec<u8>, Stop> {
        let mut out = Vec::new();
        let mut seen = vec![false; self.maxid as usize + 1];
        let mut id = start;
        while id != ENDOFCHAIN {
            let sector = self.get(id)?;
            // `get` refuses an id above `maxid`.
            if std::mem::replace(&mut seen[id as usize], true) {
                return Err(Stop::Refused(format!(
                    "the chain of sectors of {what} comes back to sector {id}: it loops"
                )));
            }
            let n = sector.len().min(len - out.len());
            sector.append(&mut out, n);
            if out.len() >= len {
                break;
            }
            id = *next.get(id as usize).ok_or(Stop::Panic)?;
        }
        Ok(out)
    }
}

/// Refuses a stream of `len` bytes starting at sector `start` if the file is shorter than it.
fn check_length(start: u32, len: usize, file_len: usize, what: &str) -> Result<(), Stop> {
    if start != ENDOFCHAIN && len > file_len {
        return Err(Stop::Refused(format!(
            "{what} says it is {len} bytes long, more than the whole file ({file_len} bytes)"
        )));
    }
    Ok(())
}

/// A directory entry, as calamine's `Directory::from_slice` reads it.
struct Entry {
    name: String,
    start: u32,
    len: usize,
}

impl Entry {
    /// `e` is 128 bytes.
    fn read(e: &[u8], sector_size: usize) -> Entry {
        // calamine decodes the whole name field (a byte order mark switches the decoding, as
        // `Encoding::decode` does) and cuts it at its first NUL.
        let mut name = encoding_rs::UTF_16LE.decode(&e[..64]).0.into_owned();
        if let Some(end) = name.find('\0') {
            name.truncate(end);
        }
        let len = if sector_size == 512 {
            u32_at(e, 120).map_or(0, |l| l as usize)
        } else {
            u64_at(e, 120).map_or(0, |l| l as usize)
        };
        Entry {
            name,
            start: u32_at(e, 116).unwrap_or(ENDOFCHAIN),
            len,
        }
    }
}

/// The Workbook (else Book) stream, as calamine reads it out of the compound file in `bytes`.
fn workbook_stream(bytes: &[u8]) -> Result<Vec<u8>, Stop> {
    let header = |at: usize| u32_at(bytes, at).ok_or(Stop::Error);
    if bytes.len() < 512 || !bytes.starts_with(OLE_SIGNATURE) {
        return Err(Stop::Error);
    }
    let size = match u16_at(bytes, 30) {
        Some(0x0009) => 512,
        Some(0x000C) => 4096,
        _ => return Err(Stop::Error),
    };
    // A 4096-byte sector's header is padded to 4096 bytes, which calamine reads.
    if bytes.len() < size || u16_at(bytes, 32) != Some(0x0006) {
        return Err(Stop::Error);
    }
    let version = u16_at(bytes, 26).ok_or(Stop::Error)?;
    let dir_start = header(48)?;
    let mini_fat_start = header(60)?;
    let mini_fat_len = header(64)? as usize;
    let difat_start = header(68)?;
    let mut difat = u32s(&bytes[76..512])?;
    debug_assert_eq!(difat.len(), HEADER_DIFAT_ENTRIES);
    let maxid = (bytes.len() / size) as u32;
    let mut sectors = Sectors {
        body: &bytes[size..],
        size,
        maxid,
        cached: 0,
    };

    // The DIFAT: the header's entries, then a chain of sectors whose last entry names the next one.
    let mut id = difat_start;
    let mut difat_sectors = 0usize;
    while id < RESERVED_SECTORS {
        difat_sectors += 1;
        if difat_sectors > maxid as usize + 1 {
            return Err(Stop::Error);
        }
        difat.extend(u32s(&sectors.get(id)?.to_vec())?);
        id = difat.pop().ok_or(Stop::Error)?;
    }
    // The FAT: each sector the DIFAT names, in order. calamine reads a sector named twice twice: a FAT
    // of more sectors than the file has would take more memory than the file, up to 127 times over.
    let fat_sectors: Vec<u32> = difat.into_iter().filter(|id| *id < DIFSECT).collect();
    if fat_sectors.len() > maxid as usize + 1 {
        return Err(Stop::Refused(format!(
            "its FAT is said to take {} sectors, more than the whole file has ({})",
            fat_sectors.len(),
            maxid as usize + 1
        )));
    }
    let mut fat = Vec::with_capacity(fat_sectors.len() * size / 4);
    for id in fat_sectors {
        fat.extend(u32s(&sectors.get(id)?.to_vec())?);
    }

    let directory = sectors.chain(dir_start, &fat, usize::MAX, "its directory")?;
    let entries: Vec<Entry> = directory
        .chunks_exact(128)
        .map(|e| Entry::read(e, size))
        .collect();
    drop(directory);
    let root = entries.first().ok_or(Stop::Error)?;
    if version != 3 && root.start == ENDOFCHAIN {
        return Err(Stop::Error);
    }
    let (mini_stream, mini_fat) = if mini_fat_len > 0 {
        check_length(root.start, root.len, bytes.len(), "its mini stream")?;
        let mini_stream = sectors.chain(root.start, &fat, root.len, "its mini stream")?;
        let mini_fat_bytes = mini_fat_len * size;
        check_length(mini_fat_start, mini_fat_bytes, bytes.len(), "its mini FAT")?;
        let mini_fat = sectors.chain(mini_fat_start, &fat, mini_fat_bytes, "its mini FAT")?;
        (mini_stream, u32s(&mini_fat)?)
    } else {
        (Vec::new(), Vec::new())
    };
    let mini = MiniStream {
        bytes: &mini_stream,
        fat: &mini_fat,
        maxid: (maxid as usize * 8) as u32,
    };

    let mut stream = |name: &str| -> Result<Vec<u8>, Stop> {
        let entry = entries
            .iter()
            .find(|e| e.name.as_bytes().eq_ignore_ascii_case(name.as_bytes()))
            .ok_or(Stop::Error)?;
        let what = format!("the stream '{}'", entry.name);
        if entry.len < MINI_STREAM_CUTOFF {
            mini.chain(entry.start, entry.len, &what)
        } else {
            check_length(entry.start, entry.len, bytes.len(), &what)?;
            sectors.chain(entry.start, &fat, entry.len, &what)
        }
    };
    // calamine tries Book when Workbook fails in any way short of a panic.
    match stream("Workbook") {
        Err(Stop::Error) => stream("Book"),
        other => other,
    }
}

/// The mini stream, where calamine reads streams shorter than `MINI_STREAM_CUTOFF` from.
struct MiniStream<'a> {
    bytes: &'a [u8],
    fat: &'a [u32],
    maxid: u32,
}

impl MiniStream<'_> {
    /// A stream of `len` bytes (less than `MINI_STREAM_CUTOFF`) from mini sector `start`, as calamine
    /// reads it. calamine reads a mini sector beyond the mini stream from wherever its reader is in the
    /// file: what it would read is not known here, so such a stream is refused.
    fn chain(&self, start: u32, len: usize, what: &str) -> Result<Vec<u8>, Stop> {
        let mut out = Vec::new();
        let mut id = start;
        while id != ENDOFCHAIN {
            if id > self.maxid {
                return Err(Stop::Error);
            }
            let at = id as usize * MINI_SECTOR_BYTES;
            let Some(sector) = self.bytes.get(at..at + MINI_SECTOR_BYTES) else {
                return Err(Stop::Refused(format!(
                    "{what} lies outside the compound file's mini stream"
                )));
            };
            // Each sector adds 64 bytes: the chain ends within `MINI_STREAM_CUTOFF / 64` sectors.
            let n = MINI_SECTOR_BYTES.min(len - out.len());
            out.extend_from_slice(&sector[..n]);
            if out.len() >= len {
                break;
            }
            id = *self.fat.get(id as usize).ok_or(Stop::Panic)?;
        }
        Ok(out)
    }
}

// ---------------------------------------------------------------------------------------------------
// The Workbook stream's BIFF records, as calamine's `Xls::parse_workbook` reads them.

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

/// Refuses a Workbook stream whose sheets calamine would make too large (see the module's comment).
/// Where calamine would fail on a record, this goes on as if it did not: it may refuse a file calamine
/// would refuse anyway, never pass one calamine would read too large.
fn check_records(stream: &[u8], bounds: &Bounds) -> Result<(), String> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::Reader;
    use proptest::prelude::*;
    use std::io::Cursor;

    const FREESECT: u32 = 0xFFFF_FFFF;
    const NOSTREAM: u32 = 0xFFFF_FFFF;

    fn put_u16(b: &mut [u8], at: usize, v: u16) {
        b[at..at + 2].copy_from_slice(&v.to_le_bytes());
    }

    fn put_u32(b: &mut [u8], at: usize, v: u32) {
        b[at..at + 4].copy_from_slice(&v.to_le_bytes());
    }

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend_from_slice(&(data.len() as u16).to_le_bytes());
        r.extend_from_slice(data);
        r
    }

    fn bof(substream: u16) -> Vec<u8> {
        let mut data = vec![0u8; 16];
        put_u16(&mut data, 0, 0x0600);
        put_u16(&mut data, 2, substream);
        record(0x0809, &data)
    }

    fn eof() -> Vec<u8> {
        record(0x000A, &[])
    }

    fn cell(row: u16, column: u16, rest: &[u8]) -> Vec<u8> {
        [&row.to_le_bytes()[..], &column.to_le_bytes(), &[0, 0], rest].concat()
    }

    fn number(row: u16, column: u16, value: f64) -> Vec<u8> {
        record(0x0203, &cell(row, column, &value.to_le_bytes()))
    }

    /// A LABEL stating `chars` characters, holding `text` (8-bit).
    fn label(row: u16, column: u16, chars: u16, text: &str) -> Vec<u8> {
        let rest = [&chars.to_le_bytes()[..], &[0], text.as_bytes()].concat();
        record(0x0204, &cell(row, column, &rest))
    }

    fn label_sst(row: u16, column: u16, index: u32) -> Vec<u8> {
        record(0x00FD, &cell(row, column, &index.to_le_bytes()))
    }

    fn dimensions_record(rows: (u32, u32), columns: (u16, u16)) -> Vec<u8> {
        let mut data = vec![0u8; 14];
        put_u32(&mut data, 0, rows.0);
        put_u32(&mut data, 4, rows.1);
        put_u16(&mut data, 8, columns.0);
        put_u16(&mut data, 10, columns.1);
        record(0x0200, &data)
    }

    /// A Workbook stream: BOF, `globals`, a BOUNDSHEET8 per sheet, EOF, then each sheet's records
    /// between BOF and EOF. `sheets` name the body (an index into `bodies`) each sheet starts at.
    fn workbook(globals: &[u8], sheets: &[(&str, usize)], bodies: &[Vec<u8>]) -> Vec<u8> {
        let bound_sheet = |at: u32, name: &str| {
            let mut data = at.to_le_bytes().to_vec();
            data.extend_from_slice(&[0, 0, name.len() as u8, 0]);
            data.extend_from_slice(name.as_bytes());
            record(0x0085, &data)
        };
        let globals_len = bof(5).len()
            + globals.len()
            + sheets
                .iter()
                .map(|(name, _)| bound_sheet(0, name).len())
                .sum::<usize>()
            + eof().len();
        let mut starts = Vec::new();
        let mut all_bodies = Vec::new();
        for body in bodies {
            starts.push(globals_len + all_bodies.len());
            all_bodies.extend(bof(0x10));
            all_bodies.extend_from_slice(body);
            all_bodies.extend(eof());
        }
        let mut stream = [bof(5).as_slice(), globals].concat();
        for (name, body) in sheets {
            stream.extend(bound_sheet(starts[*body] as u32, name));
        }
        stream.extend(eof());
        stream.extend(all_bodies);
        stream
    }

    /// A one-sheet Workbook stream.
    fn one_sheet(records: Vec<u8>) -> Vec<u8> {
        workbook(&[], &[("Combined Sales", 0)], &[records])
    }

    fn header(mini_fat: Option<(u32, u32)>) -> Vec<u8> {
        let mut h = vec![0u8; 512];
        h[..8].copy_from_slice(OLE_SIGNATURE);
        put_u16(&mut h, 24, 0x003E);
        put_u16(&mut h, 26, 3);
        put_u16(&mut h, 28, 0xFFFE);
        put_u16(&mut h, 30, 9);
        put_u16(&mut h, 32, 6);
        put_u32(&mut h, 44, 1); // FAT sectors
        put_u32(&mut h, 48, 1); // the directory's first sector
        put_u32(&mut h, 56, 4096);
        let (start, len) = mini_fat.unwrap_or((ENDOFCHAIN, 0));
        put_u32(&mut h, 60, start);
        put_u32(&mut h, 64, len);
        put_u32(&mut h, 68, ENDOFCHAIN);
        for i in 0..HEADER_DIFAT_ENTRIES {
            put_u32(&mut h, 76 + 4 * i, if i == 0 { 0 } else { FREESECT });
        }
        h
    }

    fn directory_entry(name: &str, kind: u8, child: u32, start: u32, size: u32) -> Vec<u8> {
        let mut e = vec![0u8; 128];
        let units: Vec<u16> = name.encode_utf16().collect();
        for (i, u) in units.iter().enumerate() {
            put_u16(&mut e, 2 * i, *u);
        }
        put_u16(&mut e, 64, (2 * (units.len() + 1)) as u16);
        e[66] = kind;
        e[67] = 1;
        put_u32(&mut e, 68, NOSTREAM);
        put_u32(&mut e, 72, NOSTREAM);
        put_u32(&mut e, 76, child);
        put_u32(&mut e, 116, start);
        put_u32(&mut e, 120, size);
        e
    }

    /// The directory sector: the root (its mini stream at `root`: start and size) and one stream.
    fn directory(root: (u32, u32), name: &str, start: u32, size: u32) -> Vec<u8> {
        let mut d = directory_entry("Root Entry", 5, 1, root.0, root.1);
        d.extend(directory_entry(name, 2, NOSTREAM, start, size));
        d.extend(directory_entry("", 0, NOSTREAM, NOSTREAM, 0));
        d.extend(directory_entry("", 0, NOSTREAM, NOSTREAM, 0));
        d
    }

    /// Links entries `first..first + n` of a FAT (or mini FAT) into one chain.
    fn link(fat: &mut [u32], first: usize, n: usize) {
        for (i, entry) in fat[first..first + n].iter_mut().enumerate() {
            *entry = if i + 1 == n {
                ENDOFCHAIN
            } else {
                (first + i + 1) as u32
            };
        }
    }

    /// A FAT sector: `chains` (first sector, number of sectors) each end to end.
    fn fat(special: &[(usize, u32)], chains: &[(usize, usize)]) -> Vec<u8> {
        let mut fat = vec![FREESECT; 128];
        for (at, v) in special {
            fat[*at] = *v;
        }
        for (first, n) in chains {
            link(&mut fat, *first, *n);
        }
        fat.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// A compound file holding `stream` as `name`, in regular sectors (padded to 4 KiB): header, the FAT
    /// (sector 0), the directory (sector 1), the stream (sector 2 on).
    fn compound_named(name: &str, stream: &[u8]) -> Vec<u8> {
        let mut stream = stream.to_vec();
        stream.resize(stream.len().max(4096).div_ceil(512) * 512, 0);
        let sectors = stream.len() / 512;
        assert!(sectors <= 126);
        let mut out = header(None);
        out.extend(fat(&[(0, 0xFFFF_FFFD), (1, ENDOFCHAIN)], &[(2, sectors)]));
        out.extend(directory((ENDOFCHAIN, 0), name, 2, stream.len() as u32));
        out.extend(stream);
        out
    }

    fn compound(stream: &[u8]) -> Vec<u8> {
        compound_named("Workbook", stream)
    }

    /// A compound file holding `stream` (less than 4 KiB) in its mini stream: header, the FAT (sector 0),
    /// the directory (sector 1), the mini FAT (sector 2), the mini stream (sector 3 on).
    fn compound_mini(stream: &[u8]) -> Vec<u8> {
        assert!(stream.len() < 4096);
        let mini_sectors = stream.len().div_ceil(64);
        let mut mini_stream = stream.to_vec();
        mini_stream.resize(mini_sectors * 64, 0);
        let big = mini_stream.len().div_ceil(512).max(1);
        let mut out = header(Some((2, 1)));
        out.extend(fat(
            &[(0, 0xFFFF_FFFD), (1, ENDOFCHAIN), (2, ENDOFCHAIN)],
            &[(3, big)],
        ));
        out.extend(directory(
            (3, mini_stream.len() as u32),
            "Workbook",
            0,
            stream.len() as u32,
        ));
        let mut mini_fat = vec![FREESECT; 128];
        link(&mut mini_fat, 0, mini_sectors);
        out.extend(mini_fat.iter().flat_map(|v| v.to_le_bytes()));
        mini_stream.resize(big * 512, 0);
        out.extend(mini_stream);
        out
    }

    fn refusal(bytes: &[u8]) -> String {
        match check_xls(bytes) {
            Err(FileError::Unrecognized(reason)) => {
                assert!(
                    reason.starts_with("this is not a readable workbook: ")
                        && !reason.contains('\n'),
                    "{reason}"
                );
                reason
            }
            other => panic!("not refused: {other:?}"),
        }
    }

    /// What calamine reads from sheet Combined Sales of `bytes`: (rows, columns).
    fn calamine_reads(bytes: &[u8]) -> (usize, usize) {
        let mut xls: calamine::Xls<_> =
            calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
        let range = xls.worksheet_range("Combined Sales").unwrap();
        (range.height(), range.width())
    }

    fn small_sheet() -> Vec<u8> {
        [
            dimensions_record((0, 2), (0, 2)),
            label(0, 0, 5, "Title"),
            number(0, 1, 1.0),
            number(1, 0, 2.0),
            number(1, 1, 3.0),
        ]
        .concat()
    }

    #[test]
    fn a_small_workbook_passes_in_either_kind_of_sector() {
        for xls in [
            compound(&one_sheet(small_sheet())),
            compound_mini(&one_sheet(small_sheet())),
        ] {
            assert!(check_xls(&xls).is_ok());
            assert_eq!(calamine_reads(&xls), (2, 2));
        }
        // An xlsx (or anything not a compound file) is not looked at.
        assert!(check_xls(b"PK\x03\x04 anything").is_ok());
        assert!(check_xls(b"\xD0\xCF\x11\xE0 but not all of it").is_ok());
    }

    #[test]
    fn the_committed_legacy_workbook_passes() {
        let xls = include_bytes!("../../tests/data/KDP_Dashboard-legacy.xls");
        assert!(check_xls(xls).is_ok());
    }

    #[test]
    fn a_huge_dimensions_record_is_refused() {
        let records = [dimensions_record((0, u32::MAX), (0, 256)), small_sheet()].concat();
        let reason = refusal(&compound(&one_sheet(records)));
        assert!(
            reason.contains("sheet 'Combined Sales' says it spans 4294967295 rows and 256 columns"),
            "{reason}"
        );
        // Its first row after its last: calamine's count wraps round (in a release build).
        let records = [dimensions_record((10, 5), (0, 3)), small_sheet()].concat();
        let reason = refusal(&compound(&one_sheet(records)));
        assert!(reason.contains("4294967291 rows and 3 columns"), "{reason}");
        // As large as a real sheet: read.
        let records = [dimensions_record((0, 60_000), (0, 30)), small_sheet()].concat();
        assert!(check_xls(&compound(&one_sheet(records))).is_ok());
    }

    #[test]
    fn values_far_apart_are_refused_from_either_kind_of_sector() {
        let records = [small_sheet(), number(65_535, 65_535, 1.0)].concat();
        for xls in [
            compound(&one_sheet(records.clone())),
            compound_mini(&one_sheet(records.clone())),
        ] {
            let reason = refusal(&xls);
            assert!(
                reason.contains("sheet 'Combined Sales' spans 65536 rows and 65536 columns"),
                "{reason}"
            );
        }
        // Rows are counted from the first value, columns from A.
        let records = [number(1000, 60_000, 1.0), number(1199, 0, 1.0)].concat();
        let reason = refusal(&compound(&one_sheet(records)));
        assert!(
            reason.contains("spans 200 rows and 60001 columns"),
            "{reason}"
        );
        // A MULRK's values run from its first column on; a formula's count in a range of their own.
        let mulrk = record(
            0x00BD,
            &[
                &0u16.to_le_bytes()[..],
                &65_000u16.to_le_bytes(),
                &[0; 12],
                &65_001u16.to_le_bytes(),
            ]
            .concat(),
        );
        let reason = refusal(&compound(&one_sheet([number(200, 0, 1.0), mulrk].concat())));
        assert!(
            reason.contains("spans 201 rows and 65002 columns"),
            "{reason}"
        );
        let formula = |row: u16, column: u16| record(0x0006, &cell(row, column, &[0; 16]));
        let reason = refusal(&compound(&one_sheet(
            [formula(0, 0), formula(60_000, 200)].concat(),
        )));
        assert!(
            reason.contains("spans 60001 rows and 201 columns"),
            "{reason}"
        );
    }

    #[test]
    fn cells_of_an_embedded_chart_do_not_count() {
        let chart = [bof(0x20), number(65_535, 65_535, 1.0), eof()].concat();
        let xls = compound(&one_sheet([small_sheet(), chart].concat()));
        assert!(check_xls(&xls).is_ok());
        assert_eq!(calamine_reads(&xls), (2, 2));
    }

    #[test]
    fn the_bounds_hold_for_all_sheets_together() {
        let bounds = Bounds {
            sheet_cells: 100,
            workbook_cells: 250,
            text_chars: 1000,
            shared_strings: 3,
        };
        // Each sheet spans 10 x 10; three sheets made of the same records span 300 together.
        let body = [number(0, 0, 1.0), number(9, 9, 1.0)].concat();
        let two = workbook(&[], &[("A", 0), ("B", 0)], std::slice::from_ref(&body));
        assert!(check_records(&two, &bounds).is_ok());
        let three = workbook(&[], &[("A", 0), ("B", 0), ("C", 0)], &[body]);
        let reason = check_records(&three, &bounds).unwrap_err();
        assert!(
            reason.contains("together span more than 250 cells"),
            "{reason}"
        );
        // A sheet may hold no more values than it may span, even all in one place.
        let many: Vec<u8> = (0..101).flat_map(|_| number(0, 0, 1.0)).collect();
        let reason = check_records(&one_sheet(many), &bounds).unwrap_err();
        assert!(reason.contains("holds more than 100 values"), "{reason}");
        // A LABEL's stated length counts, whatever the record holds.
        let labels = [label(0, 0, 600, ""), label(1, 0, 600, "")].concat();
        let reason = check_records(&one_sheet(labels), &bounds).unwrap_err();
        assert!(reason.contains("more than 1000 characters"), "{reason}");
    }

    /// An SST record of `strings` (8-bit, no runs), its bytes split into CONTINUE records at `split`.
    fn sst(strings: &[&str], split: Option<usize>) -> Vec<u8> {
        let mut data = [(strings.len() as u32).to_le_bytes(); 2].concat();
        for s in strings {
            data.extend_from_slice(&(s.len() as u16).to_le_bytes());
            data.push(0);
            data.extend_from_slice(s.as_bytes());
        }
        match split {
            None => record(0x00FC, &data),
            Some(at) => {
                // A string cut by a CONTINUE goes on after a flags byte.
                let (head, tail) = data.split_at(at);
                [record(0x00FC, head), record(0x003C, &[&[0], tail].concat())].concat()
            }
        }
    }

    #[test]
    fn shared_strings_are_counted_where_cells_use_them() {
        let bounds = Bounds {
            sheet_cells: 1000,
            workbook_cells: 1000,
            text_chars: 1000,
            shared_strings: 3,
        };
        let long = "x".repeat(400);
        let strings = ["Title", long.as_str(), "USD"];
        // 8 bytes of counts, "Title" (8 bytes), then the long string cut after 100 of its characters.
        for split in [None, Some(8 + 8 + 3 + 100)] {
            let globals = sst(&strings, split);
            let uses = |n: u16| -> Vec<u8> { (0..n).flat_map(|r| label_sst(r, 0, 1)).collect() };
            let two = workbook(&globals, &[("Combined Sales", 0)], &[uses(2)]);
            assert!(check_records(&two, &bounds).is_ok());
            let three = workbook(&globals, &[("Combined Sales", 0)], &[uses(3)]);
            let reason = check_records(&three, &bounds).unwrap_err();
            assert!(reason.contains("more than 1000 characters"), "{reason}");
            // calamine reads the same strings.
            let xls = compound(&three);
            let mut book: calamine::Xls<_> =
                calamine::open_workbook_from_rs(Cursor::new(xls)).unwrap();
            let range = book.worksheet_range("Combined Sales").unwrap();
            assert_eq!(
                range.get((2, 0)),
                Some(&calamine::Data::String(long.clone()))
            );
        }
        let globals = sst(&["a", "b", "c", "d"], None);
        let reason =
            check_records(&workbook(&globals, &[("S", 0)], &[vec![]]), &bounds).unwrap_err();
        assert!(
            reason.contains("shared strings are more than 3"),
            "{reason}"
        );
    }

    #[test]
    fn a_looping_chain_of_sectors_is_refused() {
        // The Workbook stream's first sector is followed by itself, and the stream says it is 4 GiB.
        let mut xls = compound(&one_sheet(small_sheet()));
        put_u32(&mut xls, 512 + 4 * 2, 2);
        put_u32(&mut xls, 2 * 512 + 128 + 120, 0xFFFF_FFF0);
        let reason = refusal(&xls);
        assert!(
            reason.contains("the stream 'Workbook' says it is 4294967280 bytes long"),
            "{reason}"
        );
        // A stream no longer than the file that loops.
        put_u32(&mut xls, 2 * 512 + 128 + 120, 4096);
        let reason = refusal(&xls);
        assert!(
            reason.contains("the chain of sectors of the stream 'Workbook' comes back to sector 2"),
            "{reason}"
        );
        // The directory, which calamine reads to its end, loops.
        let mut xls = compound(&one_sheet(small_sheet()));
        put_u32(&mut xls, 512 + 4, 1);
        let reason = refusal(&xls);
        assert!(reason.contains("of its directory comes back"), "{reason}");
    }

    #[test]
    fn a_fat_larger_than_the_file_is_refused() {
        let mut xls = compound(&one_sheet(small_sheet()));
        for i in 0..HEADER_DIFAT_ENTRIES {
            put_u32(&mut xls, 76 + 4 * i, 0);
        }
        let reason = refusal(&xls);
        assert!(
            reason.contains("its FAT is said to take 109 sectors"),
            "{reason}"
        );
    }

    #[test]
    fn a_mini_stream_out_of_place_is_refused() {
        // The Workbook stream's first mini sector is past the end of the mini stream.
        let mut xls = compound_mini(&one_sheet(small_sheet()));
        put_u32(&mut xls, 2 * 512 + 128 + 116, 20);
        let reason = refusal(&xls);
        assert!(
            reason.contains("lies outside the compound file's mini stream"),
            "{reason}"
        );
    }

    #[test]
    fn a_book_stream_is_checked_too() {
        let records = [small_sheet(), number(65_535, 65_535, 1.0)].concat();
        let reason = refusal(&compound_named("BOOK", &one_sheet(records)));
        assert!(reason.contains("spans 65536 rows"), "{reason}");
        assert!(check_xls(&compound_named("Book", &one_sheet(small_sheet()))).is_ok());
    }

    #[test]
    fn what_calamine_refuses_by_itself_is_left_to_it() {
        let xls = compound(&one_sheet(small_sheet()));
        // Cut inside the header, a sector size calamine does not know, no Workbook stream.
        assert!(check_xls(&xls[..300]).is_ok());
        let mut odd = xls.clone();
        put_u16(&mut odd, 30, 10);
        assert!(check_xls(&odd).is_ok());
        assert!(check_xls(&compound_named("Other", &one_sheet(small_sheet()))).is_ok());
        // An encrypted workbook, whatever its sheets.
        let records = [small_sheet(), number(65_535, 65_535, 1.0)].concat();
        let stream = workbook(&record(0x002F, &[1, 0]), &[("S", 0)], &[records]);
        assert!(check_xls(&compound(&stream)).is_ok());
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

        /// Damage anywhere in the container or the records never makes the check panic, and what it
        /// passes calamine reads into sheets within the bound (or refuses by itself).
        #[test]
        fn damaged_files_never_panic_and_what_passes_stays_small(
            mini in any::<bool>(),
            flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
            cut in prop::option::of(any::<prop::sample::Index>()),
        ) {
            let stream = one_sheet([small_sheet(), sst(&["a", "bc"], Some(12)), label_sst(2, 0, 1)].concat());
            let mut xls = if mini { compound_mini(&stream) } else { compound(&stream) };
            for (at, bits) in flips {
                let i = at.index(xls.len());
                xls[i] ^= bits;
            }
            if let Some(cut) = cut {
                xls.truncate(cut.index(xls.len()));
            }
            if check_xls(&xls).is_ok() {
                let sheets = std::panic::catch_unwind(|| {
                    let mut book: calamine::Xls<_> =
                        calamine::open_workbook_from_rs(Cursor::new(xls)).ok()?;
                    Some(book.worksheets())
                });
                for (name, range) in sheets.ok().flatten().unwrap_or_default() {
                    let columns = range.start().map_or(0, |(_, c)| u64::from(c)) + range.width() as u64;
                    prop_assert!(
                        (range.height() as u64) * columns <= MAX_SHEET_CELLS,
                        "sheet {name}: {} rows, {columns} columns", range.height()
                    );
                }
            }
        }
    }
}
