//! Workbooks: zip files written here (stored, with the right CRC), so that damage can be put inside a
//! zip that is itself valid and reach calamine's XML reading. The zip reader and writer, the parts of
//! an xlsx, and what is done to a valid zip's entries (content replaced, metadata made wrong, entries
//! renamed, repeated or left out).

use proptest::prelude::*;

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A zip entry as it is stored: compressed (`method` 8) or not (0).
#[derive(Clone, Debug)]
pub(crate) struct ZipEntry {
    name: String,
    method: u16,
    crc: u32,
    size: u32,
    data: Vec<u8>,
}

impl ZipEntry {
    fn stored(name: &str, data: Vec<u8>) -> ZipEntry {
        ZipEntry {
            name: name.to_string(),
            method: 0,
            crc: crc32(&data),
            size: data.len() as u32,
            data,
        }
    }
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// The entries of a well-formed zip (the seed), as stored, read through its central directory.
pub(crate) fn zip_entries(zip: &[u8]) -> Vec<ZipEntry> {
    let end = (0..zip.len() - 21)
        .rev()
        .find(|&i| zip[i..].starts_with(b"PK\x05\x06"))
        .expect("end of central directory");
    let count = u16_at(zip, end + 10) as usize;
    let mut at = u32_at(zip, end + 16) as usize;
    let mut entries = Vec::with_capacity(count);
    for _ in 0..count {
        assert!(zip[at..].starts_with(b"PK\x01\x02"));
        let method = u16_at(zip, at + 10);
        let crc = u32_at(zip, at + 16);
        let compressed = u32_at(zip, at + 20) as usize;
        let size = u32_at(zip, at + 24);
        let name_len = u16_at(zip, at + 28) as usize;
        let extra_len = u16_at(zip, at + 30) as usize;
        let comment_len = u16_at(zip, at + 32) as usize;
        let local = u32_at(zip, at + 42) as usize;
        let name = String::from_utf8(zip[at + 46..at + 46 + name_len].to_vec()).unwrap();
        let data_at =
            local + 30 + u16_at(zip, local + 26) as usize + u16_at(zip, local + 28) as usize;
        entries.push(ZipEntry {
            name,
            method,
            crc,
            size,
            data: zip[data_at..data_at + compressed].to_vec(),
        });
        at += 46 + name_len + extra_len + comment_len;
    }
    entries
}

/// A zip of `entries`, with local headers, central directory and its end, as a spreadsheet writes it.
pub(crate) fn write_zip(entries: &[ZipEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let header = |out: &mut Vec<u8>| {
            out.extend_from_slice(&20u16.to_le_bytes()); // version needed
            out.extend_from_slice(&0u16.to_le_bytes()); // flags
            out.extend_from_slice(&e.method.to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes()); // time
            out.extend_from_slice(&0x21u16.to_le_bytes()); // date: 1980-01-01
            out.extend_from_slice(&e.crc.to_le_bytes());
            out.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
            out.extend_from_slice(&e.size.to_le_bytes());
            out.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes()); // extra
        };
        out.extend_from_slice(b"PK\x03\x04");
        header(&mut out);
        out.extend_from_slice(e.name.as_bytes());
        out.extend_from_slice(&e.data);
        central.extend_from_slice(b"PK\x01\x02");
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by
        header(&mut central);
        central.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(e.name.as_bytes());
    }
    let central_at = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]); // disk numbers
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&central_at.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // comment length
    out
}

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The parts of an xlsx with these sheets (name, worksheet XML) and shared strings XML.
pub(crate) fn xlsx_entries(sheets: &[(String, String)], shared_strings: &str) -> Vec<ZipEntry> {
    let ct = "application/vnd.openxmlformats-officedocument.spreadsheetml";
    let mut types = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/xl/workbook.xml\" ContentType=\"{ct}.sheet.main+xml\"/>\
         <Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"{ct}.sharedStrings+xml\"/>"
    );
    let mut workbook = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <workbook xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\"><sheets>"
    );
    let mut rels = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    );
    let mut entries = Vec::new();
    for (i, (name, xml)) in sheets.iter().enumerate() {
        let n = i + 1;
        types += &format!(
            "<Override PartName=\"/xl/worksheets/sheet{n}.xml\" ContentType=\"{ct}.worksheet+xml\"/>"
        );
        workbook += &format!("<sheet name=\"{name}\" sheetId=\"{n}\" r:id=\"rId{n}\"/>");
        rels += &format!(
            "<Relationship Id=\"rId{n}\" Type=\"{REL_NS}/worksheet\" Target=\"worksheets/sheet{n}.xml\"/>"
        );
        entries.push(ZipEntry::stored(
            &format!("xl/worksheets/sheet{n}.xml"),
            xml.clone().into_bytes(),
        ));
    }
    types += "</Types>";
    workbook += "</sheets></workbook>";
    rels += &format!(
        "<Relationship Id=\"rId{}\" Type=\"{REL_NS}/sharedStrings\" Target=\"sharedStrings.xml\"/>\
         </Relationships>",
        sheets.len() + 1
    );
    let mut all = vec![
        ZipEntry::stored("[Content_Types].xml", types.into_bytes()),
        ZipEntry::stored(
            "_rels/.rels",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
                 <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
                 <Relationship Id=\"rId1\" Type=\"{REL_NS}/officeDocument\" Target=\"xl/workbook.xml\"/>\
                 </Relationships>"
            )
            .into_bytes(),
        ),
        ZipEntry::stored("xl/workbook.xml", workbook.into_bytes()),
        ZipEntry::stored("xl/_rels/workbook.xml.rels", rels.into_bytes()),
        ZipEntry::stored("xl/sharedStrings.xml", shared_strings.as_bytes().to_vec()),
    ];
    all.extend(entries);
    all
}

/// A worksheet's XML around `rows` (the `<row>` elements), with a dimension when one is given.
pub(crate) fn worksheet(dimension: Option<&str>, rows: &str) -> String {
    let dimension = dimension.map_or(String::new(), |d| format!("<dimension ref=\"{d}\"/>"));
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <worksheet xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\">{dimension}<sheetData>{rows}</sheetData></worksheet>"
    )
}

pub(crate) fn shared_strings(strings: &[&str], unique_count: &str) -> String {
    let items: String = strings
        .iter()
        .map(|s| format!("<si><t>{s}</t></si>"))
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <sst xmlns=\"{MAIN_NS}\" count=\"{}\" uniqueCount=\"{unique_count}\">{items}</sst>",
        strings.len()
    )
}

/// An inline-string cell and a number cell, for hand-written rows.
pub(crate) fn text_cell(at: &str, text: &str) -> String {
    format!("<c r=\"{at}\" t=\"inlineStr\"><is><t>{text}</t></is></c>")
}

pub(crate) fn number_cell(at: &str, value: &str) -> String {
    format!("<c r=\"{at}\"><v>{value}</v></c>")
}

/// The columns of the hand-built workbooks' Combined Sales sheet (xlsx and xls alike).
pub(crate) const COMBINED_SALES_HEADER: [&str; 7] = [
    "Royalty Date",
    "Title",
    "ASIN/ISBN",
    "Marketplace",
    "Units Sold",
    "Royalty",
    "Currency",
];

/// A Combined Sales sheet with a header and one sale, as rows: what the hand-built workbooks hold.
pub(crate) fn combined_sales_rows() -> String {
    let header = COMBINED_SALES_HEADER;
    let mut rows = String::from("<row r=\"1\">");
    for (i, h) in header.iter().enumerate() {
        rows += &text_cell(&format!("{}1", char::from(b'A' + i as u8)), h);
    }
    rows += "</row><row r=\"2\">";
    rows += &text_cell("A2", "2026-03-05");
    rows += &text_cell("B2", "The Lighthouse Ledger");
    rows += &text_cell("C2", "B0CXJ4K2LM");
    rows += &text_cell("D2", "Amazon.com");
    rows += &number_cell("E2", "3");
    rows += &number_cell("F2", "10.35");
    rows += &text_cell("G2", "USD");
    rows += "</row>";
    rows
}

/// Pieces of XML, for entries replaced with something that looks like what they held.
#[rustfmt::skip]
const XML_TOKENS: &[&str] = &[
    "<", ">", "/>", "</", "\"", "=", " ", "<?xml version=\"1.0\"?>", "<worksheet>", "</worksheet>",
    "<sheetData>", "</sheetData>", "<row r=\"1\">", "<row>", "</row>", "<c r=\"A1\">",
    "<c r=\"B2\" t=\"s\">", "<c t=\"inlineStr\">", "<c r=\"XFD1048576\">", "<c r=\"A0\">", "</c>",
    "<v>", "</v>", "<v>0</v>", "<v>1e999</v>", "<is><t>", "</t></is>", "<f>SUM(A1:A2)</f>", "<sst>",
    "<si><t>x</t></si>", "</sst>", "<workbook>", "<sheets>",
    "<sheet name=\"Combined Sales\" sheetId=\"1\" r:id=\"rId1\"/>", "</sheets>", "<Relationships>",
    "<Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/>",
    "<dimension ref=\"A1:B2\"/>", "<dimension ref=\"B2:A1\"/>", "<mergeCell ref=\"A1:XFD1\"/>",
    "&amp;", "&lt;", "&#0;", "&#x110000;", "&#65;", "&bogus;", "&", "<![CDATA[", "]]>", "<!--",
    "-->", "<!DOCTYPE x [<!ENTITY a \"b\">]>",
    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"", "Combined Sales",
    "KENP Read", "ASIN/ISBN", "Marketplace", "Royalty", "0", "1", "-1", "2026-03-05",
];

fn xml_junk() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => prop::collection::vec(prop::sample::select(XML_TOKENS), 0..80).prop_map(|t| t.concat().into_bytes()),
        1 => prop::collection::vec(any::<u8>(), 0..512),
        1 => Just(Vec::new()),
    ]
}

/// What is done to one entry of a valid zip: its content replaced (the CRC and sizes made right for
/// it, so that the damage reaches the XML reader), its metadata made wrong, or the entry renamed,
/// repeated or left out.
#[derive(Clone, Debug)]
pub(crate) enum EntryDamage {
    Replace(Vec<u8>),
    Truncate(prop::sample::Index),
    WrongCrc(u32),
    WrongSize(u32),
    /// Stored data said to be deflated, or deflated data said to be stored.
    WrongMethod,
    Rename(&'static str),
    Repeat,
    Drop,
}

#[rustfmt::skip]
const ENTRY_NAMES: &[&str] = &[
    "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
    "xl/sharedStrings.xml", "xl/styles.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet3.xml",
    "xl/worksheets/../workbook.xml", "/xl/workbook.xml", "xl\\workbook.xml", "", "xl/",
];

pub(crate) fn entry_damage() -> impl Strategy<Value = EntryDamage> {
    prop_oneof![
        6 => xml_junk().prop_map(EntryDamage::Replace),
        2 => any::<prop::sample::Index>().prop_map(EntryDamage::Truncate),
        1 => any::<u32>().prop_map(EntryDamage::WrongCrc),
        1 => prop_oneof![0u32..100_000, Just(u32::MAX)].prop_map(EntryDamage::WrongSize),
        1 => Just(EntryDamage::WrongMethod),
        1 => prop::sample::select(ENTRY_NAMES).prop_map(EntryDamage::Rename),
        1 => Just(EntryDamage::Repeat),
        1 => Just(EntryDamage::Drop),
    ]
}

pub(crate) fn damage(
    mut entries: Vec<ZipEntry>,
    damages: &[(prop::sample::Index, EntryDamage)],
) -> Vec<ZipEntry> {
    for (at, d) in damages {
        if entries.is_empty() {
            break;
        }
        let i = at.index(entries.len());
        let e = &mut entries[i];
        match d {
            EntryDamage::Replace(data) => *e = ZipEntry::stored(&e.name, data.clone()),
            EntryDamage::Truncate(cut) => {
                // A stored entry is cut as text; a compressed one as its compressed bytes.
                let len = cut.index(e.data.len() + 1);
                e.data.truncate(len);
                if e.method == 0 {
                    *e = ZipEntry::stored(&e.name, e.data.clone());
                }
            }
            EntryDamage::WrongCrc(crc) => e.crc = *crc,
            EntryDamage::WrongSize(size) => e.size = *size,
            EntryDamage::WrongMethod => e.method = if e.method == 0 { 8 } else { 0 },
            EntryDamage::Rename(name) => e.name = name.to_string(),
            EntryDamage::Repeat => {
                let copy = e.clone();
                entries.insert(i, copy);
            }
            EntryDamage::Drop => {
                entries.remove(i);
            }
        }
    }
    entries
}
