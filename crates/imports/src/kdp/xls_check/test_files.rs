//! Workbooks made byte by byte for the tests: BIFF8 records, a Workbook stream of sheets, and the
//! compound files around it (in regular sectors or in the mini stream), small enough to damage by hand
//! at known offsets.

use super::container::{ENDOFCHAIN, HEADER_DIFAT_ENTRIES};
use super::OLE_SIGNATURE;

const FREESECT: u32 = 0xFFFF_FFFF;
const NOSTREAM: u32 = 0xFFFF_FFFF;

pub(super) fn put_u16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

pub(super) fn put_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

pub(super) fn record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut r = typ.to_le_bytes().to_vec();
    r.extend_from_slice(&(data.len() as u16).to_le_bytes());
    r.extend_from_slice(data);
    r
}

pub(super) fn bof(substream: u16) -> Vec<u8> {
    let mut data = vec![0u8; 16];
    put_u16(&mut data, 0, 0x0600);
    put_u16(&mut data, 2, substream);
    record(0x0809, &data)
}

pub(super) fn eof() -> Vec<u8> {
    record(0x000A, &[])
}

pub(super) fn cell(row: u16, column: u16, rest: &[u8]) -> Vec<u8> {
    [&row.to_le_bytes()[..], &column.to_le_bytes(), &[0, 0], rest].concat()
}

pub(super) fn number(row: u16, column: u16, value: f64) -> Vec<u8> {
    record(0x0203, &cell(row, column, &value.to_le_bytes()))
}

/// A LABEL stating `chars` characters, holding `text` (8-bit).
pub(super) fn label(row: u16, column: u16, chars: u16, text: &str) -> Vec<u8> {
    let rest = [&chars.to_le_bytes()[..], &[0], text.as_bytes()].concat();
    record(0x0204, &cell(row, column, &rest))
}

pub(super) fn label_sst(row: u16, column: u16, index: u32) -> Vec<u8> {
    record(0x00FD, &cell(row, column, &index.to_le_bytes()))
}

pub(super) fn dimensions_record(rows: (u32, u32), columns: (u16, u16)) -> Vec<u8> {
    let mut data = vec![0u8; 14];
    put_u32(&mut data, 0, rows.0);
    put_u32(&mut data, 4, rows.1);
    put_u16(&mut data, 8, columns.0);
    put_u16(&mut data, 10, columns.1);
    record(0x0200, &data)
}

/// A Workbook stream: BOF, `globals`, a BOUNDSHEET8 per sheet, EOF, then each sheet's records
/// between BOF and EOF. `sheets` name the body (an index into `bodies`) each sheet starts at.
pub(super) fn workbook(globals: &[u8], sheets: &[(&str, usize)], bodies: &[Vec<u8>]) -> Vec<u8> {
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
pub(super) fn one_sheet(records: Vec<u8>) -> Vec<u8> {
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
pub(super) fn compound_named(name: &str, stream: &[u8]) -> Vec<u8> {
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

pub(super) fn compound(stream: &[u8]) -> Vec<u8> {
    compound_named("Workbook", stream)
}

/// A compound file holding `stream` (less than 4 KiB) in its mini stream: header, the FAT (sector 0),
/// the directory (sector 1), the mini FAT (sector 2), the mini stream (sector 3 on).
pub(super) fn compound_mini(stream: &[u8]) -> Vec<u8> {
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

/// An SST record of `strings` (8-bit, no runs), its bytes split into CONTINUE records at `split`.
pub(super) fn sst(strings: &[&str], split: Option<usize>) -> Vec<u8> {
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
