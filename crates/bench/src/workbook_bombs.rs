//! Small workbooks that cost a reader huge memory or time, as issue reports found them: one shared
//! string of hundreds of MB in a file of a few hundred KB, and millions of identical rows in about a MB.
//! Both are valid zips that really inflate to what they declare, so a reader that trusts them pays in
//! full; Tributary refuses them from the zip's directory (crates/imports/src/kdp/zip_check.rs).

use std::io::{Seek, Write};
use zip::write::SimpleFileOptions;

const NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

/// The parts around a sheet and shared strings, for `write_bomb`.
fn write_book(
    out: impl Write + Seek,
    sheet: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    shared: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut zip = zip::ZipWriter::new(out);
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        // Entries past 4 GiB would need it; these stay under, but say so rather than fail late.
        .large_file(false);
    let parts: [(&str, String); 4] = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>".into(),
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".into(),
        ),
        (
            "xl/workbook.xml",
            format!("<?xml version=\"1.0\"?><workbook xmlns=\"{NS}\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Combined Sales\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>".into(),
        ),
    ];
    for (name, text) in parts {
        zip.start_file(name, options)?;
        zip.write_all(text.as_bytes())?;
    }
    zip.start_file("xl/worksheets/sheet1.xml", options)?;
    sheet(&mut zip)?;
    zip.start_file("xl/sharedStrings.xml", options)?;
    shared(&mut zip)?;
    zip.finish()?;
    Ok(())
}

/// A workbook whose one shared string is `mb` MB of the same letter.
pub fn write_string_bomb(out: impl Write + Seek, mb: u64) -> std::io::Result<()> {
    write_book(
        out,
        &mut |w| {
            write!(w, "<?xml version=\"1.0\"?><worksheet xmlns=\"{NS}\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row></sheetData></worksheet>")
        },
        &mut |w| {
            write!(
                w,
                "<?xml version=\"1.0\"?><sst xmlns=\"{NS}\" count=\"1\" uniqueCount=\"1\"><si><t>"
            )?;
            let block = vec![b'a'; 1 << 20];
            for _ in 0..mb {
                w.write_all(&block)?;
            }
            write!(w, "</t></si></sst>")
        },
    )
}

/// A workbook whose sheet has `rows` identical rows of one number.
pub fn write_rows_bomb(out: impl Write + Seek, rows: u64) -> std::io::Result<()> {
    write_book(
        out,
        &mut |w| {
            write!(
                w,
                "<?xml version=\"1.0\"?><worksheet xmlns=\"{NS}\"><sheetData>"
            )?;
            let row = b"<row><c t=\"n\"><v>1</v></c></row>";
            let block: Vec<u8> = row.repeat(4096);
            for _ in 0..rows / 4096 {
                w.write_all(&block)?;
            }
            for _ in 0..rows % 4096 {
                w.write_all(row)?;
            }
            write!(w, "</sheetData></worksheet>")
        },
        &mut |w| {
            write!(
                w,
                "<?xml version=\"1.0\"?><sst xmlns=\"{NS}\" count=\"0\" uniqueCount=\"0\"></sst>"
            )
        },
    )
}
