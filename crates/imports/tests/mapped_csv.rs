//! Platform exports and user-mapped CSVs read through mappings: the presets' rules (skipped rows, refunds
//! and disputes on the sale row) and the careful reading of European and Excel files.

mod common;

use common::{read, summary};
use tributary_imports::formats::{detect, Format};
use tributary_imports::mapping::{MappedCsvReader, Mapping};
use tributary_model::EventKind;

fn preset(bytes: &[u8]) -> Mapping {
    match detect(bytes).unwrap() {
        Format::Mapped(m) => *m,
        other => panic!("{} is not a preset", other.name()),
    }
}

#[test]
fn stripe_payments_with_refunds_disputes_and_failures() {
    let file = "id,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Fee,Taxes On Fee,Status,Description,Customer Email,Refunded date (UTC),Disputed Amount,Dispute Status,Dispute Date (UTC)\n\
        ch_1,2026-06-05 20:38:34,29.00,0.00,usd,true,1.14,0.00,Paid,Course,a@example.com,,,,\n\
        ch_2,2026-06-06 10:00:00,\"1,000.00\",250.00,usd,true,29.30,2.93,Paid,Coaching,b@example.com,2026-07-01 09:00:00,,,\n\
        ch_3,2026-06-07 11:00:00,50.00,0.00,eur,false,0.00,0.00,Failed,Course,,,,,\n\
        ch_4,2026-06-08 12:00:00,3125,0,jpy,true,110,0,Paid,Template,,,3125,lost,2026-06-20 08:00:00\n\
        ch_5,2026-06-09 12:00:00,10.00,0.00,usd,true,0.59,0.00,Paid,Template,,,10.00,won,2026-06-21 08:00:00\n";
    let (events, errors, skipped) = read(file.as_bytes(), preset(file.as_bytes())).unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(skipped, 1);
    let got: Vec<_> = events.iter().map(summary).collect();
    let day = |d: &str| d.to_string();
    assert_eq!(
        got,
        [
            (
                "ch_1".into(),
                EventKind::Sale,
                day("2026-06-05T20:38:34Z"),
                2900,
                114,
                2786,
                1,
                "USD".into()
            ),
            (
                "ch_2".into(),
                EventKind::Sale,
                day("2026-06-06T10:00:00Z"),
                100000,
                3223,
                96777,
                1,
                "USD".into()
            ),
            (
                "ch_2:refund".into(),
                EventKind::Refund,
                day("2026-07-01T09:00:00Z"),
                -25000,
                0,
                -25000,
                0,
                "USD".into()
            ),
            (
                "ch_4".into(),
                EventKind::Sale,
                day("2026-06-08T12:00:00Z"),
                3125,
                110,
                3015,
                1,
                "JPY".into()
            ),
            (
                "ch_4:chargeback".into(),
                EventKind::Chargeback,
                day("2026-06-20T08:00:00Z"),
                -3125,
                0,
                -3125,
                -1,
                "JPY".into()
            ),
            (
                "ch_5".into(),
                EventKind::Sale,
                day("2026-06-09T12:00:00Z"),
                1000,
                59,
                941,
                1,
                "USD".into()
            ),
        ]
    );
    assert_eq!(events[0].buyer_email.as_deref(), Some("a@example.com"));
    assert_eq!(events[0].product_name.as_deref(), Some("Course"));
    assert_eq!(events[0].platform, "stripe");
}

#[test]
fn gumroad_sales_skip_the_totals_row_and_split_refunds() {
    let file = "Purchase ID,Item Name,Buyer Name,Purchase Email,Buyer Email,Purchase Date,Purchase Time (UTC timezone),Sale Price ($),Fees ($),Net Total ($),Country,Refunded?,Partial Refund ($),Fully Refunded?,Disputed?,Dispute Won?,Product ID,Quantity\n\
        p1,Presets,Ann,ann@example.com,,2024-01-15,2024-01-15 10:00:00 UTC,10.0,1.3,8.7,US,0,,0,0,0,prod_a,1\n\
        p2,Presets,Bo,bo@example.com,,2024-01-16,2024-01-16 11:30:00 UTC,20.0,2.3,17.7,DE,1,5.0,0,0,0,prod_a,2\n\
        p3,Course,Cy,cy@example.com,,2024-01-17,2024-01-17 12:00:00 UTC,99.0,9.2,89.8,FR,1,,1,0,0,prod_b,1\n\
        p4,Course,Di,di@example.com,,2024-01-18,2024-01-18 12:00:00 UTC,99.0,9.2,89.8,United States,0,,0,1,0,prod_b,1\n\
        Totals,,,,,,,228.0,22.0,206.0,,,5.0,,,,,\n";
    let (events, errors, skipped) = read(file.as_bytes(), preset(file.as_bytes())).unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(skipped, 1);
    let got: Vec<(String, i64, i64, i64)> = events
        .iter()
        .map(|e| {
            (
                e.external_id.clone(),
                e.gross_minor,
                e.net_minor,
                e.quantity,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("p1".into(), 1000, 870, 1),
            ("p2".into(), 2000, 1770, 2),
            ("p2:refund".into(), -500, -500, 0),
            ("p3".into(), 9900, 8980, 1),
            ("p3:refund".into(), -9900, -9900, -1),
            ("p4".into(), 9900, 8980, 1),
            ("p4:chargeback".into(), -9900, -9900, -1),
        ]
    );
    assert_eq!(events[1].country.as_deref(), Some("DE"));
    assert_eq!(events[5].country, None);
    assert_eq!(events[0].occurred_at.to_rfc3339(), "2024-01-15T10:00:00Z");
    assert!(events.iter().all(|e| e.currency.code() == "USD"));
}

const EUROPEAN_MAPPING: &str = r#"
name = "bank-shop"
platform = "myshop"
gross = "Betrag"
product_name = "Artikel"
[date]
column = "Datum"
[id]
derive = ["Datum", "Artikel", "Betrag"]
[currency]
fixed = "EUR"
"#;

#[test]
fn a_european_spreadsheet_in_windows_1252_reads_through_a_mapping() {
    // Semicolons, decimal commas, DD.MM.YYYY and "€" and "é" as Windows-1252 bytes.
    let file: &[u8] = b"Datum;Artikel;Betrag\r\n01.02.2026;Caf\xe9-Kurs;1.234,56 \x80\r\n15.02.2026;Buch;(12,00)\r\n15.02.2026;Buch;abc\r\n";
    let mapping = Mapping::from_toml(EUROPEAN_MAPPING).unwrap();
    let mut reader = MappedCsvReader::new(file, mapping.clone()).unwrap();
    let reading = reader.reading().clone();
    assert_eq!(reading.delimiter.as_deref(), Some(";"));
    assert_eq!(reading.date_format.as_deref(), Some("DD/MM/YYYY"));
    assert!(reader.warnings()[0].contains("Windows-1252"));
    let mut items = Vec::new();
    while let Some(item) = reader.next_item().unwrap() {
        items.push(item);
    }
    let (events, errors, _) = read(file, mapping).unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(events[0].product_name.as_deref(), Some("Café-Kurs"));
    assert_eq!(events[0].gross_minor, 123_456);
    assert_eq!(events[0].occurred_at.to_rfc3339(), "2026-02-01T00:00:00Z");
    assert_eq!(events[1].gross_minor, -1200);
    assert!(events[0].external_id.starts_with("row-"));
    assert_ne!(events[0].external_id, events[1].external_id);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, Some(4));
    assert_eq!(errors[0].column.as_deref(), Some("Betrag"));
    // The same values give the same derived ids on every read.
    let (again, _, _) = read(file, Mapping::from_toml(EUROPEAN_MAPPING).unwrap()).unwrap();
    assert_eq!(again[1].external_id, events[1].external_id);
}

#[test]
fn lines_are_counted_right_with_crlf_and_quoted_newlines() {
    let file = "Datum;Artikel;Betrag\r\n01.02.2026;\"A\r\nB\";x\r\n\r\n15.02.2026;B;y\r\n";
    let mapping = Mapping::from_toml(EUROPEAN_MAPPING).unwrap();
    let (_, errors, _) = read(file.as_bytes(), mapping).unwrap();
    let lines: Vec<Option<u64>> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [Some(2), Some(5)]);
}

#[test]
fn utf16_from_excel_unicode_text_reads_with_tabs() {
    let text = "Datum\tArtikel\tBetrag\r\n01.02.2026\tÉtude\t5,00\r\n";
    let bytes: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let (events, errors, _) = read(&bytes, Mapping::from_toml(EUROPEAN_MAPPING).unwrap()).unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(events[0].product_name.as_deref(), Some("Étude"));
    assert_eq!(events[0].gross_minor, 500);
}

#[test]
fn ambiguous_dates_and_missing_columns_fail_the_file_with_reasons() {
    let ambiguous = "Datum;Artikel;Betrag\n03/04/2026;A;1,00\n05/06/2026;B;2,00\n";
    let mapping = Mapping::from_toml(EUROPEAN_MAPPING).unwrap();
    let error = read(ambiguous.as_bytes(), mapping.clone())
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("MM/DD/YYYY") && error.contains("DD/MM/YYYY") && error.contains("order"),
        "{error}"
    );
    let missing = "Datum;Artikel;Preis\n01.02.2026;A;1,00\n";
    let error = read(missing.as_bytes(), mapping).unwrap_err().to_string();
    assert!(error.contains("Betrag"), "{error}");
}

#[test]
fn mapping_files_with_mistakes_are_refused_with_the_reason() {
    for (text, expected) in [
        ("name = 'x'\nplatform = 'Shop'\ngross = 'a'\n[date]\ncolumn = 'd'\n[id]\ncolumn = 'i'\n[currency]\nfixed = 'USD'\n", "slug"),
        ("name = 'x'\nplatform = 'shop'\ngross = 'a'\n[date]\ncolumn = 'd'\n[id]\n[currency]\nfixed = 'USD'\n", "[id]"),
        ("name = 'x'\nplatform = 'shop'\ngross = 'a'\n[date]\ncolumn = 'd'\n[id]\ncolumn = 'i'\n[currency]\nfixed = 'XYZ'\n", "XYZ"),
        ("name = 'x'\nplatform = 'shop'\ngross = 'a'\ncolour = 'red'\n[date]\ncolumn = 'd'\n[id]\ncolumn = 'i'\n[currency]\nfixed = 'USD'\n", "colour"),
    ] {
        let error = Mapping::from_toml(text).unwrap_err();
        assert!(!error.contains("m.toml") && !error.contains('\n') && error.contains(expected), "{error}");
    }
}

#[test]
fn refund_rows_are_told_by_their_value_or_by_a_negative_amount() {
    let mapping = |kind: &str| {
        Mapping::from_toml(&format!(
            "name = 'shop'\nplatform = 'shop'\ngross = 'Amount'\n[date]\ncolumn = 'Date'\n[id]\ncolumn = 'Id'\n\
             [currency]\nfixed = 'EUR'\n[kind]\n{kind}\n"
        ))
        .unwrap()
    };
    let file = "Id,Date,Type,Amount\n1,2026-03-01,Sale,20.00\n2,2026-03-02,Sale,-5.00\n3,2026-03-03,Chargeback,-20.00\n4,2026-03-04,Sale,12.00\n";
    let kinds = |mapping: Mapping| -> Vec<(String, EventKind, i64)> {
        let (events, errors, _) = read(file.as_bytes(), mapping).unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        events
            .into_iter()
            .map(|e| (e.external_id, e.kind, e.quantity))
            .collect()
    };
    // A negative amount is a refund, except where the row's value says what it is.
    let by_sign = kinds(mapping(
        "column = 'Type'\nnegative = 'refund'\n[kind.values]\nChargeback = 'chargeback'",
    ));
    assert_eq!(
        by_sign,
        [
            ("1".to_string(), EventKind::Sale, 1),
            ("2".to_string(), EventKind::Refund, -1),
            ("3".to_string(), EventKind::Chargeback, -1),
            ("4".to_string(), EventKind::Sale, 1),
        ]
    );
    // Without the rule, a negative sale stays a sale.
    let plain = kinds(mapping("column = 'Type'"));
    assert_eq!(plain[1].1, EventKind::Sale);
    assert!(Mapping::from_toml(
        "name = 'x'\nplatform = 'x'\ngross = 'a'\n[date]\ncolumn = 'd'\n[id]\ncolumn = 'i'\n[currency]\nfixed = 'USD'\n[kind]\nnegative = 'gift'\n"
    )
    .is_ok_and(|m| MappedCsvReader::new("d,i,a\n".as_bytes(), m).is_err()));
}
