//! Generated xlsx workbooks: sheets of cells of every type (in the grid or outside it, with or
//! without a position), KDP-like sheets with one wrong value at a time, and random shared strings.

use crate::text::{HEADERS, TOKENS};
use crate::xlsx_builder::{
    number_cell, shared_strings, text_cell, worksheet, xlsx_entries, ZipEntry,
};
use proptest::prelude::*;

/// A cell of a generated sheet: its column, its row when it names one other than the row it is in,
/// whether it says where it is at all, and the rest of its XML (type, style, value).
#[derive(Clone, Debug)]
struct GeneratedCell {
    column: String,
    row: Option<u32>,
    has_ref: bool,
    rest: String,
}

fn generated_cell() -> impl Strategy<Value = GeneratedCell> {
    let column = prop_oneof![
        12 => (0u8..12).prop_map(|c| char::from(b'A' + c).to_string()),
        1 => prop::sample::select(&["XFD", "XFE", "IV", "AAA", "", "a", "ZZZZ"][..]).prop_map(str::to_string),
    ];
    let row = prop_oneof![
        20 => Just(None),
        1 => prop::sample::select(&[0u32, 1_048_576, 1_048_577, 4_294_967_295][..]).prop_map(Some),
    ];
    let kind = prop::sample::select(
        &[
            "",
            " t=\"s\"",
            " t=\"str\"",
            " t=\"n\"",
            " t=\"b\"",
            " t=\"e\"",
            " t=\"inlineStr\"",
            " t=\"d\"",
            " t=\"x\"",
        ][..],
    );
    let style = prop::sample::select(&["", "", "", " s=\"0\"", " s=\"1\"", " s=\"99999\""][..]);
    let value = prop_oneof![
        4 => prop::sample::select(TOKENS).prop_map(str::to_string),
        1 => prop::sample::select(&[
            "0", "3", "7", "4294967295", "18446744073709551616", "-1", "1e309", "NaN", "45000.5", "2.5e-320",
            "2026-03-05T00:00:00", "#N/A", "2", "",
        ][..]).prop_map(str::to_string),
    ];
    (column, row, kind, style, value, prop::bool::weighted(0.9)).prop_map(
        |(column, row, kind, style, value, has_ref)| {
            let value = value.replace('&', "&amp;").replace('<', "&lt;");
            let body = if kind.contains("inlineStr") {
                format!("<is><t>{value}</t></is>")
            } else {
                format!("<v>{value}</v>")
            };
            GeneratedCell {
                column,
                row,
                has_ref,
                rest: format!("{kind}{style}>{body}</c>"),
            }
        },
    )
}

/// A cell that calamine reads: in its row, in the first twelve columns, a number or an inline string.
fn clean_cell() -> impl Strategy<Value = GeneratedCell> {
    let number =
        prop::sample::select(&["0", "3", "-1", "4.99", "10.35", "-12.5", "46000", "1e3"][..]);
    (
        0u8..12,
        prop_oneof![
            number.prop_map(|n| format!("><v>{n}</v></c>")),
            prop::sample::select(TOKENS).prop_map(|t| {
                let t = t.replace('&', "&amp;").replace('<', "&lt;");
                format!(" t=\"inlineStr\"><is><t>{t}</t></is></c>")
            }),
        ],
    )
        .prop_map(|(column, rest)| GeneratedCell {
            column: char::from(b'A' + column).to_string(),
            row: None,
            has_ref: true,
            rest,
        })
}

/// A worksheet: maybe a KDP header (and a Prior Months' period line above it), then rows of cells
/// calamine reads (whose values reach the KDP row code) or of any cells at all.
fn sheet_xml() -> impl Strategy<Value = String> {
    (
        prop::option::of(prop::sample::select(&[0usize, 8, 9, 10, 11, 13][..])),
        any::<bool>(),
        prop_oneof![
            prop::collection::vec(prop::collection::vec(clean_cell(), 0..12), 0..20),
            prop::collection::vec(prop::collection::vec(generated_cell(), 0..12), 0..20),
        ],
        prop_oneof![
            8 => Just(None),
            4 => Just(Some("A1:L20")),
            1 => prop::sample::select(&["A1:XFD1048576", "B2:A1", "junk", ""][..]).prop_map(Some),
        ],
    )
        .prop_map(|(header, period, rows, dimension)| {
            let mut xml = String::new();
            let mut r = 1u32;
            if period {
                xml += &format!(
                    "<row r=\"{r}\">{}{}</row>",
                    text_cell("A1", "Sales Period"),
                    text_cell("B1", "March 2026")
                );
                r += 1;
            }
            if let Some(h) = header {
                let line = HEADERS[h].lines().last().unwrap();
                xml += &format!("<row r=\"{r}\">");
                for (i, name) in line.split(',').enumerate() {
                    let column = char::from(b'A' + (i % 26) as u8);
                    xml += &text_cell(&format!("{column}{r}"), name);
                }
                xml += "</row>";
                r += 1;
            }
            for cells in rows {
                xml += &format!("<row r=\"{r}\">");
                for cell in cells {
                    let rest = &cell.rest;
                    xml += &if cell.has_ref {
                        format!("<c r=\"{}{}\"{rest}", cell.column, cell.row.unwrap_or(r))
                    } else {
                        format!("<c{rest}")
                    };
                }
                xml += "</row>";
                r += 1;
            }
            worksheet(dimension, &xml)
        })
}

#[rustfmt::skip]
pub(crate) const SHEET_NAMES: &[&str] = &[
    "Combined Sales", "Combined Sales", "KENP Read", "eBook Royalty", "Paperback Royalty",
    "Total Earnings", "Summary", "Ventas combinadas", "Regalías de los libros de tapa", "販売数合算",
    "既読KENP", "Sheet1", "", "Combined Sales ", "&amp;",
];

/// A Combined Sales sheet as KDP writes it, some of whose values are replaced: rows that are mostly
/// right, so that one wrong value at a time reaches the KDP row code.
fn kdp_like_sheet() -> impl Strategy<Value = String> {
    let replacements = prop::collection::vec((0usize..12, clean_cell()), 0..3);
    prop::collection::vec(replacements, 1..15).prop_map(|rows| {
        let header = HEADERS[8].split(',');
        // Royalty Date … Currency, as a dashboard row holds them (a number, or an inline string).
        #[rustfmt::skip]
        let template = [
            (false, "2026-03-05"), (false, "The Lighthouse Ledger"), (false, "Mara Quill"),
            (false, "B0CXJ4K2LM"), (false, "Amazon.com"), (false, "70%"), (false, "Standard"),
            (true, "3"), (true, "0"), (true, "3"), (true, "10.35"), (false, "USD"),
        ];
        let column = |i: usize| char::from(b'A' + i as u8);
        let mut xml = String::from("<row r=\"1\">");
        for (i, name) in header.enumerate() {
            xml += &text_cell(&format!("{}1", column(i)), name);
        }
        xml += "</row>";
        for (n, replaced) in rows.iter().enumerate() {
            let r = n + 2;
            xml += &format!("<row r=\"{r}\">");
            for (i, (is_number, value)) in template.iter().enumerate() {
                let at = format!("{}{r}", column(i));
                xml += &match replaced.iter().find(|(c, _)| *c == i) {
                    Some((_, cell)) => format!("<c r=\"{at}\"{}", cell.rest),
                    None if *is_number => number_cell(&at, value),
                    None => text_cell(&at, value),
                };
            }
            xml += "</row>";
        }
        worksheet(None, &xml)
    })
}

/// A workbook written here: a KDP-like Combined Sales sheet, or sheets with generated cells and shared
/// strings, as zip entries.
pub(crate) fn generated_workbook() -> impl Strategy<Value = Vec<ZipEntry>> {
    prop_oneof![
        kdp_like_sheet().prop_map(|sheet| xlsx_entries(
            &[("Combined Sales".to_string(), sheet)],
            &shared_strings(&[], "0")
        )),
        random_workbook(),
    ]
}

fn random_workbook() -> impl Strategy<Value = Vec<ZipEntry>> {
    (
        prop::collection::vec((prop::sample::select(SHEET_NAMES), sheet_xml()), 1..4),
        prop::collection::vec(prop::sample::select(TOKENS), 0..8),
        // Not a count in the billions: see `a_huge_shared_string_count_is_refused_before_calamine_reserves_it`.
        prop::sample::select(&["0", "3", "8", "-1", "x", "1000000"][..]),
    )
        .prop_map(|(sheets, strings, unique)| {
            let sheets: Vec<(String, String)> = sheets
                .into_iter()
                .map(|(n, x)| (n.to_string(), x))
                .collect();
            let strings: Vec<String> = strings
                .iter()
                .map(|s| s.replace('&', "&amp;").replace('<', "&lt;"))
                .collect();
            let strings: Vec<&str> = strings.iter().map(String::as_str).collect();
            xlsx_entries(&sheets, &shared_strings(&strings, unique))
        })
}
