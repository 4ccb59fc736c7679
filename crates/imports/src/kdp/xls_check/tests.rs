//! The check against workbooks made in `test_files.rs`: what passes is what calamine reads small, and
//! each refusal says why; damaged files never make the check panic.

use super::container::HEADER_DIFAT_ENTRIES;
use super::records::check_records;
use super::test_files::*;
use super::*;
use calamine::Reader;
use proptest::prelude::*;
use std::io::Cursor;

fn refusal(bytes: &[u8]) -> String {
    match check_xls(bytes) {
        Err(FileError::Unrecognized(reason)) => {
            assert!(
                reason.starts_with("this is not a readable workbook: ") && !reason.contains('\n'),
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
    let xls = include_bytes!("../../../tests/data/KDP_Dashboard-legacy.xls");
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
        let mut book: calamine::Xls<_> = calamine::open_workbook_from_rs(Cursor::new(xls)).unwrap();
        let range = book.worksheet_range("Combined Sales").unwrap();
        assert_eq!(
            range.get((2, 0)),
            Some(&calamine::Data::String(long.clone()))
        );
    }
    let globals = sst(&["a", "b", "c", "d"], None);
    let reason = check_records(&workbook(&globals, &[("S", 0)], &[vec![]]), &bounds).unwrap_err();
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
