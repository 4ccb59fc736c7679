//! The ledger CSV reader and writer on the cases the format document names, and on junk.

use proptest::prelude::*;
use tributary_imports::ledger_csv::{LedgerCsvReader, LedgerCsvWriter};
use tributary_imports::{FileError, Item};
use tributary_model::{Currency, EventKind, NewEvent, RowError};

/// What a whole file read gives: events, rejected rows, warnings.
type ReadAll = (Vec<NewEvent>, Vec<RowError>, Vec<String>);

fn read_all(bytes: &[u8]) -> Result<ReadAll, FileError> {
    let mut reader = LedgerCsvReader::new(bytes)?;
    let (mut events, mut errors) = (Vec::new(), Vec::new());
    while let Some(item) = reader.next_item()? {
        match item {
            Item::Event(e) => events.push(e),
            Item::Rejected(e) => errors.push(e),
        }
    }
    Ok((events, errors, reader.warnings().to_vec()))
}

const HEADER: &str = "platform,account,external_id,kind,occurred_at,product_id,product_name,quantity,currency,gross,fees,net,buyer_email,country\n";

#[test]
fn reads_the_documented_shape() {
    let file = format!(
        "{HEADER}gumroad,main,g1,sale,2024-03-05T20:38:56+01:00,p1,\"Book, \"\"2nd\"\" ed.\",1,usd,49.99,5.00,,a@b.c,de\n\
         kdp,main,k1,royalty,2024-03-06T00:00:00Z,B0ABC,Novel,3,JPY,1200,,,,\n\
         stripe,shop2,ch_1,refund,2024-03-07T10:00:00Z,,,-1,KWD,-1.250,0.100,-1.350,,\n"
    );
    let (events, errors, warnings) = read_all(file.as_bytes()).unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    assert!(warnings.is_empty());
    assert_eq!(events.len(), 3);
    let g = &events[0];
    assert_eq!(g.occurred_at.to_rfc3339(), "2024-03-05T19:38:56Z");
    assert_eq!(g.product_name.as_deref(), Some("Book, \"2nd\" ed."));
    assert_eq!(
        (g.gross_minor, g.fees_minor, g.net_minor),
        (4999, 500, 4499)
    );
    assert_eq!(g.currency.code(), "USD");
    assert_eq!(g.country.as_deref(), Some("DE"));
    assert_eq!(g.source_line, Some(2));
    let k = &events[1];
    assert_eq!((k.gross_minor, k.fees_minor, k.net_minor), (1200, 0, 1200));
    assert_eq!(k.buyer_email, None);
    let s = &events[2];
    assert_eq!(s.kind, EventKind::Refund);
    assert_eq!(
        (s.gross_minor, s.fees_minor, s.net_minor, s.quantity),
        (-1250, 100, -1350, -1)
    );
    assert_eq!(s.source_line, Some(4));
}

#[test]
fn columns_match_by_name_in_any_order_with_bom_and_crlf() {
    let file = "\u{feff}gross,currency,quantity,occurred_at,kind,external_id,account,platform\r\n\
                10.00,EUR,2,2024-01-01T00:00:00Z,sale,x1,main,whop\r\n";
    let (events, errors, _) = read_all(file.as_bytes()).unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(events[0].platform, "whop");
    assert_eq!(events[0].gross_minor, 1000);
    assert_eq!(events[0].net_minor, 1000);
}

#[test]
fn quoted_newlines_keep_line_numbers_right() {
    let file = format!(
        "{HEADER}gumroad,main,g1,sale,2024-03-05T19:38:56Z,p1,\"two\nlines\",1,USD,1.00,,,,\n\
         gumroad,main,g2,sale,2024-03-05T19:38:56Z,p1,x,1,USD,bad,,,,\n"
    );
    let (events, errors, _) = read_all(file.as_bytes()).unwrap();
    assert_eq!(events[0].product_name.as_deref(), Some("two\nlines"));
    assert_eq!(errors[0].line, Some(4));
    assert_eq!(errors[0].column.as_deref(), Some("gross"));
}

#[test]
fn bad_rows_name_line_column_and_reason_and_the_rest_still_reads() {
    let rows = [
        (
            "gumroad,main,g1,sale,2024-03-05T19:38:56Z,,,1,ABC,1.00,,,,",
            "currency",
            "ISO 4217",
        ),
        (
            "gumroad,main,g2,sale,2024-03-05T19:38:56Z,,,1,USD,1.001,,,,",
            "gross",
            "more decimals",
        ),
        (
            "gumroad,main,g3,sale,2024-03-05T19:38:56Z,,,1,JPY,10.5,,,,",
            "gross",
            "more decimals",
        ),
        (
            "gumroad,main,g4,sale,05/03/2024,,,1,USD,1.00,,,,",
            "occurred_at",
            "RFC 3339",
        ),
        (
            "gumroad,main,g5,purchase,2024-03-05T19:38:56Z,,,1,USD,1.00,,,,",
            "kind",
            "not an event kind",
        ),
        (
            "gumroad,main,g6,sale,2024-03-05T19:38:56Z,,,1.5,USD,1.00,,,,",
            "quantity",
            "whole number",
        ),
        (
            "gumroad,main,,sale,2024-03-05T19:38:56Z,,,1,USD,1.00,,,,",
            "external_id",
            "required",
        ),
        (
            "Gum Road,main,g8,sale,2024-03-05T19:38:56Z,,,1,USD,1.00,,,,",
            "platform",
            "slug",
        ),
        (
            "gumroad,main,g9,sale,2024-03-05T19:38:56Z,,,1,USD,1.00,,,,USA",
            "country",
            "alpha-2",
        ),
        (
            "gumroad,main,g10,sale,2024-03-05T19:38:56Z,,,1,USD,1.00,abc,,,",
            "fees",
            "not a decimal",
        ),
        (
            "gumroad,main,g11,sale,2024-03-05T19:38:56Z,,,1,USD",
            "",
            "fields but the header has",
        ),
    ];
    let mut file = HEADER.to_string();
    for (row, _, _) in &rows {
        file.push_str(row);
        file.push('\n');
    }
    file.push_str("gumroad,main,ok,sale,2024-03-05T19:38:56Z,,,1,USD,1.00,,,,\n");
    let (events, errors, _) = read_all(file.as_bytes()).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].external_id, "ok");
    assert_eq!(errors.len(), rows.len());
    for (i, ((_, column, reason), error)) in rows.iter().zip(&errors).enumerate() {
        assert_eq!(error.line, Some(i as u64 + 2));
        assert_eq!(error.column.as_deref().unwrap_or(""), *column, "{error:?}");
        assert!(
            error.message.contains(reason),
            "{error:?} should say {reason}"
        );
    }
    assert_eq!(
        errors[0].to_string(),
        "line 2, column currency: 'ABC' is not an ISO 4217 currency code"
    );
}

#[test]
fn files_that_are_not_ledger_csv_fail_at_the_header() {
    assert!(matches!(read_all(b""), Err(FileError::Empty)));
    assert!(matches!(read_all(b"\n\n"), Err(FileError::Empty)));
    let stripe = b"id,Created date (UTC),Amount,Currency\nch_1,2024-01-01,1.00,usd\n";
    match read_all(stripe) {
        Err(FileError::MissingColumns { missing, .. }) => {
            assert!(
                missing.contains("platform") && missing.contains("external_id"),
                "{missing}"
            );
        }
        other => panic!("{other:?}"),
    }
    let twice = "platform,account,external_id,kind,occurred_at,quantity,currency,gross,Gross\n";
    assert!(
        matches!(read_all(twice.as_bytes()), Err(FileError::DuplicateColumn(c)) if c == "Gross")
    );
}

#[test]
fn a_header_only_file_reads_no_rows() {
    let (events, errors, _) = read_all(HEADER.as_bytes()).unwrap();
    assert!(events.is_empty() && errors.is_empty());
}

#[test]
fn unknown_columns_are_kept_raw_and_warned_about_once() {
    let file = "platform,account,external_id,kind,occurred_at,quantity,currency,gross,note,tax\n\
                a,main,1,sale,2024-01-01T00:00:00Z,1,USD,1,hello,\n\
                a,main,2,sale,2024-01-01T00:00:00Z,1,USD,1,,\n";
    let (events, _, warnings) = read_all(file.as_bytes()).unwrap();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].contains("note, tax"), "{warnings:?}");
    assert_eq!(events[0].raw.as_deref(), Some(r#"{"note":"hello"}"#));
    assert_eq!(events[1].raw, None);
}

#[test]
fn a_long_field_and_invalid_utf8_are_handled() {
    let long = "x".repeat(50_000);
    let mut file =
        format!("{HEADER}gumroad,main,g1,sale,2024-03-05T19:38:56Z,,{long},1,USD,1.00,,,,\n")
            .into_bytes();
    file.extend_from_slice(b"gumroad,main,g2,sale,2024-03-05T19:38:56Z,,\xff\xfe,1,USD,1.00,,,,\n");
    let (events, errors, _) = read_all(&file).unwrap();
    assert_eq!(
        events[0].product_name.as_ref().map(String::len),
        Some(50_000)
    );
    assert_eq!(errors[0].column.as_deref(), Some("product_name"));
    assert!(errors[0].message.contains("UTF-8"));
}

#[test]
fn write_then_read_gives_the_same_events() {
    let events = [
        (
            "USD",
            4999_i64,
            500_i64,
            EventKind::Sale,
            Some("Book, \"quoted\"\nline"),
        ),
        ("JPY", 1200, 0, EventKind::Royalty, None),
        ("KWD", -1250, 100, EventKind::Refund, Some("Ünïcødé 📚")),
    ];
    let mut writer = LedgerCsvWriter::new(Vec::new()).unwrap();
    for (i, (currency, gross, fees, kind, name)) in events.iter().enumerate() {
        writer
            .write(&tributary_imports::ledger_csv::LedgerCsvRow {
                platform: "p",
                account: "main",
                external_id: &format!("id{i}"),
                kind: *kind,
                occurred_at: tributary_model::UtcInstant::from_millis(1_700_000_000_123),
                product_id: None,
                product_name: *name,
                quantity: 1,
                currency: Currency::from_code(currency).unwrap(),
                gross_minor: *gross,
                fees_minor: *fees,
                net_minor: gross - fees,
                buyer_email: None,
                country: Some("FR"),
                settlement: (*kind == EventKind::Royalty).then_some(("2026-03 Amazon.co.jp", true)),
            })
            .unwrap();
    }
    let bytes = writer.finish().unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.starts_with("platform,account,external_id,kind,occurred_at,"));
    assert!(text.contains(",KWD,-1.250,0.100,-1.350,,FR,,\n"), "{text}");
    assert!(
        text.contains(",JPY,1200,0,1200,,FR,2026-03 Amazon.co.jp,true\n"),
        "{text}"
    );
    assert!(!text.contains('\r'));
    let (read, errors, _) = read_all(&bytes).unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(read.len(), 3);
    let settled: Vec<_> = read.iter().map(|e| e.settlement.clone()).collect();
    assert_eq!(
        settled,
        [
            None,
            Some(tributary_model::Settlement {
                period: "2026-03 Amazon.co.jp".into(),
                estimated: true
            }),
            None
        ]
    );
    assert_eq!(
        read[0].product_name.as_deref(),
        Some("Book, \"quoted\"\nline")
    );
    assert_eq!(read[0].occurred_at.millis(), 1_700_000_000_123);
    assert_eq!((read[2].gross_minor, read[2].net_minor), (-1250, -1350));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = read_all(&bytes);
    }

    #[test]
    fn arbitrary_rows_after_a_valid_header_never_panic(body in "[a-zA-Z0-9,.\"\\-:+ \n\r\u{feff}é]{0,600}") {
        let file = format!("{HEADER}{body}");
        if let Ok((events, errors, _)) = read_all(file.as_bytes()) {
            for e in &errors {
                prop_assert!(e.line.is_some());
            }
            let _ = events;
        }
    }
}

/// Every item of a file, each read over an earlier item (`reuse_after` items back), as the engine reads.
fn read_reusing(bytes: &[u8], reuse_after: usize) -> Vec<Item> {
    let mut reader = LedgerCsvReader::new(bytes).unwrap();
    let mut items: Vec<Item> = Vec::new();
    let mut spare = std::collections::VecDeque::new();
    loop {
        let old = (spare.len() > reuse_after)
            .then(|| spare.pop_front())
            .flatten();
        match reader.next_item_reusing(old).unwrap() {
            Some(item) => {
                items.push(item.clone());
                spare.push_back(item);
            }
            None => return items,
        }
    }
}

#[test]
fn a_row_read_over_an_earlier_one_keeps_nothing_of_it() {
    // Rows alternate between every optional field filled (with extra columns, lower-case country) and
    // every one empty, and rejected rows in between, so each is read over one of a different shape.
    let file = "platform,account,external_id,kind,occurred_at,product_id,product_name,quantity,currency,gross,fees,net,buyer_email,country,note\n\
        gumroad,main,g1,sale,2024-03-05T20:38:56+01:00,p1,Book,1,USD,49.99,5.00,44.99,a@b.c,de,first\n\
        kdp,pen-name,k1,royalty,2024-03-06T00:00:00Z,,,3,JPY,1200,,,,,\n\
        kdp,main,k2,royalty,not a date,,,3,JPY,1200,,,,,\n\
        stripe,shop2,ch_1,refund,2024-03-07T10:00:00Z,prod_9,Course,-1,KWD,-1.250,0.100,-1.350,x@y.z,Fr,\n\
        lemonsqueezy,main,ls_1,sale,2024-03-08T10:00:00Z,,,2,EUR,10.00,,,,,second\n\
        stripe,main,ch_2,sale,2024-03-09T10:00:00Z,prod_1,Course,1,USD,5.00,0.50,4.50,q@r.s,US,\n";
    let fresh: Vec<Item> = {
        let mut reader = LedgerCsvReader::new(file.as_bytes()).unwrap();
        std::iter::from_fn(|| reader.next_item().unwrap()).collect()
    };
    assert_eq!(fresh.len(), 6);
    assert!(matches!(fresh[2], Item::Rejected(_)));
    for reuse_after in 0..4 {
        assert_eq!(
            read_reusing(file.as_bytes(), reuse_after),
            fresh,
            "reusing after {reuse_after}"
        );
    }
}

#[test]
fn lines_are_counted_right_with_crlf() {
    let file = format!(
        "{}gumroad,main,g1,sale,2024-03-05T20:38:56Z,,,1,USD,x,,,,\r\n\r\ngumroad,main,g2,sale,2024-03-05T20:38:56Z,,\"a\r\nb\",1,USD,y,,,,\r\n",
        HEADER.replace('\n', "\r\n")
    );
    let (events, errors, _) = read_all(file.as_bytes()).unwrap();
    assert!(events.is_empty());
    let lines: Vec<Option<u64>> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [Some(2), Some(4)]);
}
