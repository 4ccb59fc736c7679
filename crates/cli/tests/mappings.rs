//! Column mappings through the binary: `--map FILE`, saving one (`tributary mappings save`), reusing it by
//! name (`--mapping NAME`) and by its header (detection), listing and removing it; `--format` forcing a
//! format, and forcing the wrong one.

mod common;

use common::{json, ok, run, s};

const CSV: &str = "Datum;Buchungstext;Betrag;Gebühr;Währung;Belegnummer\n\
03.02.2026;Kurs \"Aquarell\";1.234,56;12,30;EUR;B-1\n\
15.02.2026;E-Book;9,99;;EUR;B-2\n";

const MAPPING: &str = r#"
name = "shop-export"
title = "My shop's export"
platform = "webshop"
detect = [["Datum"], ["Buchungstext"], ["Belegnummer"]]
gross = "Betrag"
fees = ["Gebühr"]
product_name = "Buchungstext"

[date]
column = "Datum"

[id]
column = "Belegnummer"

[currency]
column = "Währung"
"#;

#[test]
fn a_mapping_is_used_saved_reused_by_name_and_by_header_and_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let file = tmp.path().join("export.csv");
    let mapping = tmp.path().join("shop.toml");
    std::fs::write(&file, CSV).unwrap();
    std::fs::write(&mapping, MAPPING).unwrap();

    // Unknown without a mapping; the error says how to give one.
    let out = run(&data, &["import", s(&file)]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--map"));

    let preview = json(
        &data,
        &[
            "import",
            s(&file),
            "--map",
            s(&mapping),
            "--dry-run",
            "--json",
        ],
    );
    let f = &preview["files"][0];
    assert_eq!(f["format"], "shop-export");
    assert_eq!(f["reading"]["delimiter"], ";");
    assert_eq!(f["reading"]["decimal_mark"], "comma");
    assert_eq!(f["reading"]["date_format"], "DD/MM/YYYY");
    assert_eq!(f["would_add"][0]["net_minor"], 123_456 - 1230 + 999);

    ok(&data, &["mappings", "save", s(&mapping)]);
    let listed = json(&data, &["mappings", "--json"]);
    assert_eq!(listed["mappings"][0]["name"], "shop-export");
    assert_eq!(listed["mappings"][0]["detects"], true);
    let formats = json(&data, &["formats", "--json"]);
    assert_eq!(formats["saved_mappings"][0]["name"], "shop-export");

    // By name, then by its header: the second import is all duplicates.
    let by_name = json(
        &data,
        &["import", s(&file), "--mapping", "shop-export", "--json"],
    );
    assert_eq!(by_name["files"][0]["inserted"], 2);
    let by_header = json(&data, &["import", s(&file), "--json"]);
    assert_eq!(by_header["files"][0]["format"], "shop-export");
    assert_eq!(by_header["files"][0]["duplicates"], 2);

    ok(&data, &["mappings", "remove", "shop-export"]);
    assert_eq!(
        json(&data, &["mappings", "--json"])["mappings"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let out = run(&data, &["import", s(&file), "--mapping", "shop-export"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no format or saved mapping 'shop-export'")
    );
}

#[test]
fn a_broken_mapping_or_a_builtin_name_is_refused_with_the_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let broken = tmp.path().join("broken.toml");
    std::fs::write(
        &broken,
        MAPPING.replace("[id]\ncolumn = \"Belegnummer\"\n", ""),
    )
    .unwrap();
    let out = run(&data, &["mappings", "save", s(&broken)]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("broken.toml") && stderr.contains("id"),
        "{stderr}"
    );

    let shadow = tmp.path().join("shadow.toml");
    std::fs::write(&shadow, MAPPING.replace("shop-export", "stripe-payments")).unwrap();
    let out = run(&data, &["mappings", "save", s(&shadow)]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("built-in format"));
}

#[test]
fn a_forced_format_reads_or_says_why_it_cannot() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let stripe = tmp.path().join("payments.csv");
    std::fs::write(
        &stripe,
        "id,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Fee,Status\n\
         ch_1,2026-01-05 10:00:00,10.00,0,usd,true,0.59,Paid\n",
    )
    .unwrap();
    let forced = json(
        &data,
        &[
            "import",
            s(&stripe),
            "--format",
            "stripe-payments",
            "--json",
        ],
    );
    assert_eq!(forced["files"][0]["inserted"], 1);
    for (format, reason) in [
        (
            "ledger-csv",
            "not a ledger-csv file: the header lacks platform",
        ),
        ("gumroad-sales", "not a gumroad-sales file"),
        ("kdp-workbook", "not an .xlsx or .xls workbook"),
        ("kdp-csv", "KDP"),
    ] {
        let out = run(&data, &["import", s(&stripe), "--format", format]);
        assert!(!out.status.success(), "{format}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains(s(&stripe)) && stderr.contains(reason),
            "{format}: {stderr}"
        );
    }
    let out = run(&data, &["import", s(&stripe), "--format", "nope"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("known: ledger-csv, kdp-workbook"));
    assert_eq!(json(&data, &["status", "--json"])["events"], 1);
}
