//! xls: a compound file (CFB v3, 512-byte sectors) around a BIFF8 Workbook stream, both written here,
//! and the BIFF records (cells, BOF/EOF, BOUNDSHEET8) the hand-built sheets are made of.

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const FREESECT: u32 = 0xFFFF_FFFF;
const NOSTREAM: u32 = 0xFFFF_FFFF;

pub(crate) fn put_u16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

pub(crate) fn put_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

/// A 128-byte directory entry.
fn directory_entry(name: &str, kind: u8, child: u32, start: u32, size: u32) -> [u8; 128] {
    let mut e = [0u8; 128];
    let units: Vec<u16> = name.encode_utf16().collect();
    for (i, u) in units.iter().enumerate() {
        put_u16(&mut e, 2 * i, *u);
    }
    put_u16(&mut e, 64, (2 * (units.len() + 1)) as u16);
    e[66] = kind;
    e[67] = 1; // black
    put_u32(&mut e, 68, NOSTREAM);
    put_u32(&mut e, 72, NOSTREAM);
    put_u32(&mut e, 76, child);
    put_u32(&mut e, 116, start);
    put_u32(&mut e, 120, size);
    e
}

/// An xls file holding `stream` as its Workbook stream (padded to the 4 KiB that keeps it out of the
/// mini stream): header, one FAT sector, one directory sector, then the stream's sectors.
pub(crate) fn xls_file(stream: &[u8]) -> Vec<u8> {
    let mut stream = stream.to_vec();
    stream.resize(stream.len().max(4096).div_ceil(512) * 512, 0);
    let sectors = stream.len() / 512;
    assert!(sectors <= 126, "one FAT sector maps 128 sectors");
    let mut header = vec![0u8; 512];
    header[..8].copy_from_slice(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    put_u16(&mut header, 24, 0x003E); // minor version
    put_u16(&mut header, 26, 3); // major version
    put_u16(&mut header, 28, 0xFFFE); // byte order
    put_u16(&mut header, 30, 9); // 512-byte sectors
    put_u16(&mut header, 32, 6); // 64-byte mini sectors
    put_u32(&mut header, 44, 1); // FAT sectors
    put_u32(&mut header, 48, 1); // first directory sector
    put_u32(&mut header, 56, 4096); // mini stream cutoff
    put_u32(&mut header, 60, ENDOFCHAIN); // no mini FAT
    put_u32(&mut header, 68, ENDOFCHAIN); // no DIFAT sectors
    for i in 0..109 {
        put_u32(&mut header, 76 + 4 * i, if i == 0 { 0 } else { FREESECT });
    }
    let mut fat = vec![FREESECT; 128];
    fat[0] = 0xFFFF_FFFD; // this FAT sector
    fat[1] = ENDOFCHAIN; // the directory
    for s in 0..sectors {
        fat[2 + s] = if s + 1 == sectors {
            ENDOFCHAIN
        } else {
            3 + s as u32
        };
    }
    let mut out = header;
    out.extend(fat.iter().flat_map(|v| v.to_le_bytes()));
    out.extend_from_slice(&directory_entry("Root Entry", 5, 1, ENDOFCHAIN, 0));
    out.extend_from_slice(&directory_entry(
        "Workbook",
        2,
        NOSTREAM,
        2,
        stream.len() as u32,
    ));
    out.extend_from_slice(&[0u8; 256]);
    for at in [512 + 512 + 256 + 68, 512 + 512 + 384 + 68] {
        // The unused entries' siblings and child: none.
        for k in 0..3 {
            put_u32(&mut out, at + 4 * k, NOSTREAM);
        }
    }
    out.extend_from_slice(&stream);
    out
}

/// A BIFF record.
pub(crate) fn record(kind: u16, data: &[u8]) -> Vec<u8> {
    let mut r = kind.to_le_bytes().to_vec();
    r.extend_from_slice(&(data.len() as u16).to_le_bytes());
    r.extend_from_slice(data);
    r
}

fn bof(substream: u16) -> Vec<u8> {
    let mut data = vec![0u8; 16];
    put_u16(&mut data, 0, 0x0600); // BIFF8
    put_u16(&mut data, 2, substream);
    record(0x0809, &data)
}

/// A LABEL cell (an 8-bit XLUnicodeString).
pub(crate) fn label(row: u16, col: u16, text: &str) -> Vec<u8> {
    let mut data = Vec::new();
    data.extend_from_slice(&row.to_le_bytes());
    data.extend_from_slice(&col.to_le_bytes());
    data.extend_from_slice(&0u16.to_le_bytes());
    data.extend_from_slice(&(text.len() as u16).to_le_bytes());
    data.push(0);
    data.extend_from_slice(text.as_bytes());
    record(0x0204, &data)
}

/// A NUMBER cell.
pub(crate) fn number(row: u16, col: u16, value: f64) -> Vec<u8> {
    let mut data = Vec::new();
    data.extend_from_slice(&row.to_le_bytes());
    data.extend_from_slice(&col.to_le_bytes());
    data.extend_from_slice(&0u16.to_le_bytes());
    data.extend_from_slice(&value.to_le_bytes());
    record(0x0203, &data)
}

/// A Workbook stream: the globals (`globals`, then a BOUNDSHEET8 per sheet), then each sheet's records
/// between its BOF and EOF.
pub(crate) fn workbook_stream(globals: &[u8], sheets: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let boundsheet = |at: u32, name: &str| {
        let mut data = at.to_le_bytes().to_vec();
        data.extend_from_slice(&[0, 0, name.len() as u8, 0]);
        data.extend_from_slice(name.as_bytes());
        record(0x0085, &data)
    };
    let globals_len: usize = bof(5).len()
        + globals.len()
        + sheets
            .iter()
            .map(|(name, _)| boundsheet(0, name).len())
            .sum::<usize>()
        + 4;
    let mut stream = [bof(5).as_slice(), globals].concat();
    let mut bodies = Vec::new();
    for (name, records) in sheets {
        let at = globals_len + bodies.len();
        stream.extend(boundsheet(at as u32, name));
        bodies.extend(bof(0x10));
        bodies.extend_from_slice(records);
        bodies.extend(record(0x000A, &[]));
    }
    stream.extend(record(0x000A, &[]));
    stream.extend(bodies);
    stream
}

/// The Combined Sales sheet of `combined_sales_rows`, as BIFF records.
pub(crate) fn combined_sales_records() -> Vec<u8> {
    let header = crate::xlsx_builder::COMBINED_SALES_HEADER;
    let mut records: Vec<u8> = header
        .iter()
        .enumerate()
        .flat_map(|(i, h)| label(0, i as u16, h))
        .collect();
    for (col, text) in [
        (0, "2026-03-05"),
        (1, "The Lighthouse Ledger"),
        (2, "B0CXJ4K2LM"),
        (3, "Amazon.com"),
        (6, "USD"),
    ] {
        records.extend(label(1, col, text));
    }
    records.extend(number(1, 4, 3.0));
    records.extend(number(1, 5, 10.35));
    records
}
