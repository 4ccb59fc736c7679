//! KDP reports read through the format's own entry points: the legacy `.xls` workbook, sheets saved as
//! CSV by spreadsheets in other locales, the Prior Months' period line, and files that are not KDP.

use tributary_imports::formats::{detect, Format};
use tributary_imports::kdp::{read_csv, read_workbook, KdpReader};
use tributary_imports::Item;
use tributary_model::{EventKind, NewEvent, RowError};

fn drain(mut reader: KdpReader) -> (Vec<NewEvent>, Vec<RowError>) {
    let (mut events, mut errors) = (Vec::new(), Vec::new());
    while let Some(item) = reader.next_item().unwrap() {
        match item {
            Item::Event(e) => events.push(e),
            Item::Rejected(e) => errors.push(e),
        }
    }
    (events, errors)
}

/// (id, kind, day, quantity, money, currency, period, estimated)
type Summary = (String, EventKind, String, i64, i64, String, String, bool);

fn summary(e: &NewEvent) -> Summary {
    let settlement = e.settlement.clone().expect("KDP events have a period");
    (
        e.external_id.clone(),
        e.kind,
        e.occurred_at.to_rfc3339()[..10].to_string(),
        e.quantity,
        e.net_minor,
        e.currency.code().to_string(),
        settlement.period,
        settlement.estimated,
    )
}

#[test]
fn a_legacy_xls_dashboard_reads_like_an_xlsx_one() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/KDP_Dashboard-legacy.xls"
    ))
    .unwrap();
    assert!(matches!(detect(&bytes[..]).unwrap(), Format::KdpWorkbook));
    let reader = read_workbook(&bytes[..]).unwrap();
    assert_eq!(reader.reading().sheets, ["Combined Sales", "KENP Read"]);
    let (events, errors) = drain(reader);
    assert!(errors.is_empty(), "{errors:?}");
    let got: Vec<Summary> = events.iter().map(summary).collect();
    let royalty = |id: &str, day: &str, kind, q, money, cur: &str, market: &str| -> Summary {
        (
            id.into(),
            kind,
            day.into(),
            q,
            money,
            cur.into(),
            format!("2015-12 {market}"),
            true,
        )
    };
    assert_eq!(
        got,
        [
            royalty(
                "kdp-estimate|2015-12-01|B00LEGACY1|Amazon.com|70%|Standard|",
                "2015-12-01",
                EventKind::Royalty,
                3,
                627,
                "USD",
                "Amazon.com"
            ),
            // Written as a date cell, not text: the same day all the same.
            royalty(
                "kdp-estimate|2015-12-02|B00LEGACY1|Amazon.com|70%|Standard|",
                "2015-12-02",
                EventKind::Royalty,
                1,
                209,
                "USD",
                "Amazon.com"
            ),
            royalty(
                "kdp-estimate|2015-12-03|B00LEGACY1|Amazon.co.uk|70%|Standard|",
                "2015-12-03",
                EventKind::Royalty,
                2,
                276,
                "GBP",
                "Amazon.co.uk"
            ),
            royalty(
                "kdp-estimate|2015-12-04|B00LEGACY1|Amazon.com|70%|Standard|",
                "2015-12-04",
                EventKind::Refund,
                -1,
                -209,
                "USD",
                "Amazon.com"
            ),
            royalty(
                "kdp-estimate|2015-12-05|1234567890123|Amazon.com|70%|Standard|",
                "2015-12-05",
                EventKind::Royalty,
                1,
                310,
                "USD",
                "Amazon.com"
            ),
            royalty(
                "kdp-estimate|2015-12-02|B00LEGACY1|Amazon.com|KENP",
                "2015-12-02",
                EventKind::KenpRead,
                412,
                0,
                "USD",
                "Amazon.com"
            ),
            royalty(
                "kdp-estimate|2015-12-03|B00LEGACY1|Amazon.co.uk|KENP",
                "2015-12-03",
                EventKind::KenpRead,
                88,
                0,
                "GBP",
                "Amazon.co.uk"
            ),
        ]
    );
    assert_eq!(
        events[0].raw.as_deref(),
        Some(r#"{"author":"A. Author","royalty_type":"70%","transaction_type":"Standard"}"#)
    );
}

#[test]
fn a_spanish_sheet_saved_by_a_european_spreadsheet_reads_with_decimal_commas() {
    let csv = "Fecha de las regalías;Título;Nombre del autor;ASIN/ISBN;Tienda;Tipo de regalía;\
Tipo de transacción;Unidades vendidas;Unidades devueltas;Unidades netas vendidas;\
Precio de lista medio sin impuestos;Precio de oferta medio sin impuestos;\
Gasto medio de entrega/producción;Regalías;Moneda\r\n\
2026-06-30;El libro;A. Autora;B0SPANISH1;Amazon.es;60%;Estándar - Tapa blanda;4;0;4;14,99;14,99;2,05;27,76;EUR\r\n\
2026-06-30;El libro;A. Autora;B0SPANISH1;Amazon.com.mx;70%;Estándar;1;1;0;99,00;99,00;0,00;-41,30;MXN\r\n";
    assert!(matches!(detect(csv.as_bytes()).unwrap(), Format::KdpCsv));
    let reader = read_csv(csv.as_bytes()).unwrap();
    assert_eq!(reader.reading().delimiter.as_deref(), Some(";"));
    let (events, errors) = drain(reader);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        events
            .iter()
            .map(|e| (e.kind, e.quantity, e.net_minor, e.currency.code()))
            .collect::<Vec<_>>(),
        [
            (EventKind::Royalty, 4, 2776, "EUR"),
            (EventKind::Refund, 0, -4130, "MXN")
        ]
    );
}

#[test]
fn a_prior_months_sheet_saved_as_csv_is_final_for_its_month() {
    let csv = "Sales Period,March 2026\n\
Title,Author,ASIN,Marketplace,Units Sold,Units Refunded,Net Units Sold,Royalty Type,Transaction Type,Currency,Avg. List Price without tax,Avg. Offer Price without tax,Avg. File Size (MB),Avg. Delivery Cost,Royalty\n\
My Book,A. Author,B0FINAL001,Amazon.com,10,1,9,70%,Standard,USD,4.99,4.99,1.2,0.06,30.89\n\
My Book,A. Author,B0FINAL001,Amazon.co.jp,2,0,2,70%,Standard,JPY,500,500,1.2,0,700\n\
\n";
    assert!(matches!(detect(csv.as_bytes()).unwrap(), Format::KdpCsv));
    let (events, errors) = drain(read_csv(csv.as_bytes()).unwrap());
    assert!(errors.is_empty(), "{errors:?}");
    let got: Vec<Summary> = events.iter().map(summary).collect();
    assert_eq!(
        got,
        [
            (
                "kdp-final|2026-03|B0FINAL001|Amazon.com|70%|Standard|".into(),
                EventKind::Royalty,
                "2026-03-01".into(),
                9,
                3089,
                "USD".into(),
                "2026-03 Amazon.com".into(),
                false
            ),
            (
                "kdp-final|2026-03|B0FINAL001|Amazon.co.jp|70%|Standard|".into(),
                EventKind::Royalty,
                "2026-03-01".into(),
                2,
                700,
                "JPY".into(),
                "2026-03 Amazon.co.jp".into(),
                false
            ),
        ]
    );
}

#[test]
fn bad_rows_name_their_sheet_line_and_column_and_repeats_stay_apart() {
    let csv = "Royalty Date,Title,Author Name,ASIN/ISBN,Marketplace,Royalty Type,Transaction Type,\
Units Sold,Units Refunded,Net Units Sold,Royalty,Currency\n\
2026-03-01,Book,A,B0AAAAAAAA,Amazon.com,70%,Standard,1,0,1,2.09,USD\n\
2026-03-01,Book,A,B0AAAAAAAA,Amazon.com,70%,Standard,1,0,1,2.09,USD\n\
yesterday,Book,A,B0AAAAAAAA,Amazon.com,70%,Standard,1,0,1,2.09,USD\n\
2026-03-02,Book,A,B0AAAAAAAA,Amazon.com,70%,Standard,1,0,1,2.095,USD\n\
2026-03-02,Book,A,B0AAAAAAAA,Amazon.xyz,70%,Standard,1,0,1,2.09,\n";
    let (events, errors) = drain(read_csv(csv.as_bytes()).unwrap());
    // Two rows alike in every naming value are two sales, not one repeated.
    assert_eq!(events.len(), 2);
    assert_ne!(events[0].external_id, events[1].external_id);
    assert!(events[1].external_id.ends_with("#2"));
    let where_: Vec<(Option<u64>, Option<String>)> =
        errors.iter().map(|e| (e.line, e.column.clone())).collect();
    assert_eq!(
        where_,
        [
            (Some(4), Some("Royalty Date".into())),
            (Some(5), Some("Royalty".into())),
            (Some(6), Some("Marketplace".into())),
        ]
    );
    assert!(errors[2].message.contains("Amazon.xyz"), "{}", errors[2]);
}

#[test]
fn what_is_not_a_kdp_report_says_so() {
    let not_kdp = "Date,Amount\n2026-01-01,5\n";
    assert!(read_csv(not_kdp.as_bytes()).is_err());
    let zip_of_text: &[u8] = b"PK\x03\x04 not really a zip";
    let error = match read_workbook(zip_of_text) {
        Ok(_) => panic!("a damaged zip read as a workbook"),
        Err(e) => e.to_string(),
    };
    // Said as what happened to the file, not in the zip library's words.
    assert!(
        error.contains("damaged or incomplete (perhaps it was not fully downloaded)"),
        "{error}"
    );
    assert!(
        !error.contains("EOCD") && !error.contains("Zip error"),
        "{error}"
    );
    assert!(read_workbook(&b""[..]).is_err());
}
