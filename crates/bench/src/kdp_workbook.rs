//! A generated KDP Dashboard workbook (xlsx) with as many Combined Sales rows as asked, written with the
//! `zip` crate and inline-string cells: enough of the format for calamine, and of KDP's layout for the
//! importer, to measure how fast a workbook imports.

use std::io::{Seek, Write};
use zip::write::SimpleFileOptions;

const HEADER: [&str; 15] = [
    "Royalty Date",
    "Title",
    "Author Name",
    "ASIN/ISBN",
    "Marketplace",
    "Royalty Type",
    "Transaction Type",
    "Units Sold",
    "Units Refunded",
    "Net Units Sold",
    "Avg. List Price without tax",
    "Avg. Offer Price without tax",
    "Avg. Delivery/Manufacturing cost",
    "Royalty",
    "Currency",
];

const MARKETS: [(&str, &str); 4] = [
    ("Amazon.com", "USD"),
    ("Amazon.co.uk", "GBP"),
    ("Amazon.de", "EUR"),
    ("Amazon.co.jp", "JPY"),
];

fn text(s: &str) -> String {
    format!(
        "<c t=\"inlineStr\"><is><t>{}</t></is></c>",
        s.replace('&', "&amp;").replace('<', "&lt;")
    )
}

fn number(n: &str) -> String {
    format!("<c><v>{n}</v></c>")
}

/// Writes a Dashboard with `rows` Combined Sales rows (distinct by day, product and marketplace).
pub fn write_kdp_dashboard(out: impl Write + Seek, rows: u64) -> zip::result::ZipResult<()> {
    let mut zip = zip::ZipWriter::new(out);
    let options = SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", options)?;
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#)?;
    zip.start_file("_rels/.rels", options)?;
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#)?;
    zip.start_file("xl/workbook.xml", options)?;
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Combined Sales" sheetId="1" r:id="rId1"/></sheets></workbook>"#)?;
    zip.start_file("xl/_rels/workbook.xml.rels", options)?;
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#)?;
    zip.start_file("xl/worksheets/sheet1.xml", options)?;
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row>"#)?;
    let header: String = HEADER.iter().map(|h| text(h)).collect();
    zip.write_all(header.as_bytes())?;
    zip.write_all(b"</row>")?;
    for n in 0..rows {
        let (market, currency) = MARKETS[(n % 4) as usize];
        // Distinct (day, ASIN, marketplace) for every row: days across ten years, 1,000 titles.
        let day = n / 4 / 1000;
        let date = format!(
            "{}-{:02}-{:02}",
            2016 + day / 336,
            1 + day / 28 % 12,
            1 + day % 28
        );
        let units = 1 + n % 5;
        let royalty = match currency {
            "JPY" => format!("{}", 250 * units),
            _ => format!("{}.{:02}", 2 * units, n % 100),
        };
        let row = [
            text(&date),
            text(&format!("Book {}", n / 4 % 1000)),
            text("A. Author"),
            text(&format!("B0{:08}", n / 4 % 1000)),
            text(market),
            text("70%"),
            text("Standard"),
            number(&units.to_string()),
            number("0"),
            number(&units.to_string()),
            number("4.99"),
            number("4.99"),
            number("0.06"),
            number(&royalty),
            text(currency),
        ];
        zip.write_all(b"<row>")?;
        for cell in row {
            zip.write_all(cell.as_bytes())?;
        }
        zip.write_all(b"</row>")?;
    }
    zip.write_all(b"</sheetData></worksheet>")?;
    zip.finish()?;
    Ok(())
}
