//! Generated xls files: sheets of BIFF records, either cells calamine reads (whose values reach the
//! KDP row code) or any records with random bodies, maybe with records added to the globals.

use crate::text::{HEADERS, TOKENS};
use crate::xls_builder::{
    combined_sales_records, label, number, record, workbook_stream, xls_file,
};
use crate::xlsx_strategies::SHEET_NAMES;
use proptest::prelude::*;

/// A BIFF record of a generated xls sheet. Cells stay within the first thousand rows and forty
/// columns, and dimensions are left out, so that generated files reach calamine rather than stopping at
/// `kdp/xls_check/` (`main.rs` tests the files it refuses).
fn xls_record() -> impl Strategy<Value = Vec<u8>> {
    let row = 0u16..1000;
    let col = 0u16..40;
    let text = prop_oneof![
        3 => prop::sample::select(TOKENS).prop_map(str::to_string),
        1 => prop::sample::select(HEADERS).prop_map(|h| h.split(',').next().unwrap_or("").to_string()),
        1 => "[ -~]{0,20}",
    ];
    let payload = prop::collection::vec(any::<u8>(), 0..48);
    let cell = |row: u16, col: u16, rest: &[u8]| -> Vec<u8> {
        [
            &row.to_le_bytes()[..],
            &col.to_le_bytes(),
            &0u16.to_le_bytes(),
            rest,
        ]
        .concat()
    };
    prop_oneof![
        4 => (row.clone(), col.clone(), text.clone()).prop_map(|(r, c, t)| label(r, c, &t)),
        2 => (row.clone(), col.clone(), prop_oneof![
                any::<f64>(),
                prop::sample::select(&[0.0, 3.0, -1.0, 10.35, 46000.0, f64::NAN, f64::INFINITY, 1e300][..]),
            ]).prop_map(|(r, c, v)| number(r, c, v)),
        // RK, BoolErr, LabelSst: a cell with a random value.
        1 => (row.clone(), col.clone(), any::<u32>()).prop_map(move |(r, c, v)| record(0x027E, &cell(r, c, &v.to_le_bytes()))),
        1 => (row.clone(), col.clone(), any::<[u8; 2]>()).prop_map(move |(r, c, v)| record(0x0205, &cell(r, c, &v))),
        1 => (row.clone(), col.clone(), prop_oneof![0u32..8, any::<u32>()]).prop_map(move |(r, c, i)| record(0x00FD, &cell(r, c, &i.to_le_bytes()))),
        // MulRk, its last column maybe before its first.
        1 => (row.clone(), col.clone(), col.clone(), prop::collection::vec(any::<[u8; 6]>(), 0..6)).prop_map(|(r, first, last, rks)| {
            let mut data = [r.to_le_bytes(), first.to_le_bytes()].concat();
            data.extend(rks.concat());
            data.extend_from_slice(&last.to_le_bytes());
            record(0x00BD, &data)
        }),
        // A formula with random tokens, then maybe its string value.
        1 => (row.clone(), col.clone(), any::<[u8; 14]>(), payload.clone(), prop::option::of(text.clone())).prop_map(move |(r, c, head, tokens, string)| {
            let mut data = cell(r, c, &head);
            data.extend_from_slice(&(tokens.len() as u16).to_le_bytes());
            data.extend(&tokens);
            let mut out = record(0x0006, &data);
            if let Some(s) = string {
                out.extend(record(0x0207, &[&(s.len() as u16).to_le_bytes()[..], &[0], s.as_bytes()].concat()));
            }
            out
        }),
        // Any record that names no cell, with a random body: BOF, EOF, CONTINUE, merged cells, code page,
        // shared strings, names, extern sheets, formats, XFs, file password, date mode, tab ids, others.
        2 => (prop::sample::select(&[
                0x0809u16, 0x000A, 0x003C, 0x00E5, 0x0042, 0x00FC, 0x0018, 0x0017, 0x041E, 0x00E0, 0x002F,
                0x0022, 0x013D, 0x0085, 0x0001, 0x00EB, 0xFFFF,
            ][..]), payload).prop_map(|(kind, data)| record(kind, &data)),
    ]
}

/// A BIFF cell that calamine reads, below the header row: a label or a number.
fn clean_xls_record() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        (1u16..40, 0u16..12, prop::sample::select(TOKENS)).prop_map(|(r, c, t)| label(r, c, t)),
        (
            1u16..40,
            0u16..12,
            prop::sample::select(&[0.0, 3.0, -1.0, 4.99, 10.35, 46000.0][..])
        )
            .prop_map(|(r, c, v)| number(r, c, v)),
    ]
}

/// An xls file written here: sheets of generated records (either cells calamine reads, whose values
/// reach the KDP row code, or any records), maybe with records added to the globals.
pub(crate) fn generated_xls() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec(
            (
                prop::sample::select(SHEET_NAMES).prop_filter("8-bit names", |n| n.is_ascii()),
                any::<bool>(),
                prop_oneof![
                    prop::collection::vec(clean_xls_record(), 0..30),
                    prop::collection::vec(xls_record(), 0..30),
                ],
            ),
            1..3,
        ),
        prop::collection::vec(xls_record(), 0..3),
    )
        .prop_map(|(sheets, globals)| {
            let sheets: Vec<(&str, Vec<u8>)> = sheets
                .into_iter()
                .map(|(name, kdp, records)| {
                    let head = if kdp {
                        combined_sales_records()
                    } else {
                        Vec::new()
                    };
                    (name, [head, records.concat()].concat())
                })
                .collect();
            let mut stream = workbook_stream(&globals.concat(), &sheets);
            stream.truncate(126 * 512);
            xls_file(&stream)
        })
}
