//! Column mappings through the binary: `--map FILE`, saving one (`tributary mappings save`), reusing it by
//! name (`--mapping NAME`) and by its header (detection), listing and removing it; `--format` forcing a
//! format, and forcing the wrong one.

mod common;

use common::{json, ok, run, s};

const CSV: &str = "Datum;Buchungstext;Betrag;Gebühr;Währung;Belegnummer\n\
03.02.2026;Kurs \"Aquarell\";1.234,56;12,30;EUR;B-1\n\
15.02.2026;E-Book;9,99;;EUR;B-2\n";

const MAPPING: &str = r#"
# My shop's order export, as the shop writes it.
name = "shop-export"
title = "My shop's export"
platform = "webshop"
detect = [["Datum"], ["Buchungstext"], ["Belegnummer"]]
gross = "Betrag"
fees = ["Gebühr"]
product_name = "Buchungstext"

[date]
column = "Datum"  # day first

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

    // Shown by another title, its name (what imports and --mapping refer to) and comments unchanged.
    ok(
        &data,
        &["mappings", "rename", "shop-export", "My shop's orders"],
    );
    let listed = json(&data, &["mappings", "--json"]);
    assert_eq!(listed["mappings"][0]["name"], "shop-export");
    assert_eq!(listed["mappings"][0]["title"], "My shop's orders");
    let text = std::fs::read_to_string(data.join("mappings/shop-export.toml")).unwrap();
    assert!(text.contains("My shop's orders"), "{text}");
    assert!(
        text.contains("# My shop's order export") && text.contains("# day first"),
        "comments kept: {text}"
    );
    let missing = run(&data, &["mappings", "rename", "no-such", "x"]);
    assert!(!missing.status.success());

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

#[test]
fn a_broken_saved_mapping_is_named_and_blocks_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let mappings = data.join("mappings");
    std::fs::create_dir_all(&mappings).unwrap();
    std::fs::write(mappings.join("m.toml"), "name = 'm'\nplatform = \n").unwrap();
    let ledger_csv = tmp.path().join("ledger.csv");
    std::fs::write(
        &ledger_csv,
        "platform,account,external_id,kind,occurred_at,quantity,currency,gross\n\
         gumroad,main,g1,sale,2026-03-01T10:00:00Z,1,USD,5.00\n",
    )
    .unwrap();

    // A file that never needed the mapping imports; formats and mappings work and name it.
    let imported = json(&data, &["import", s(&ledger_csv), "--json"]);
    assert_eq!(imported["files"][0]["inserted"], 1);
    let formats = ok(&data, &["formats"]);
    assert!(
        formats.contains("m.toml is left out: line 2, column 12:")
            && formats.contains("tributary mappings remove m"),
        "{formats}"
    );
    let listed = json(&data, &["mappings", "--json"]);
    assert_eq!(listed["broken"][0]["name"], "m");
    let reason = listed["broken"][0]["reason"].as_str().unwrap();
    assert!(
        !reason.contains('\n') && !reason.contains("m.toml"),
        "{reason}"
    );

    // An unknown CSV's error says the broken mapping may have been meant for it.
    let unknown = tmp.path().join("export.csv");
    std::fs::write(&unknown, CSV).unwrap();
    let out = run(&data, &["import", s(&unknown)]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("m.toml is left out"), "{stderr}");
    // The file name is said once.
    assert_eq!(stderr.matches("m.toml").count(), 1, "{stderr}");

    ok(&data, &["mappings", "remove", "m"]);
    assert_eq!(
        json(&data, &["mappings", "--json"])["broken"],
        serde_json::json!([])
    );
}

#[test]
fn links_in_the_mappings_folder_are_not_followed_out_of_it() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let mappings = data.join("mappings");
    std::fs::create_dir_all(&mappings).unwrap();
    let outside = tmp.path().join("outside.toml");
    std::fs::write(&outside, MAPPING).unwrap();
    std::os::unix::fs::symlink(&outside, mappings.join("shop-export.toml")).unwrap();

    let listed = json(&data, &["mappings", "--json"]);
    assert_eq!(listed["mappings"], serde_json::json!([]));
    assert!(listed["broken"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("outside the mappings folder"));

    // Saving a mapping of that name replaces the link; the file it pointed at is untouched.
    let mine = tmp.path().join("mine.toml");
    std::fs::write(&mine, MAPPING.replace("My shop's export", "Mine")).unwrap();
    ok(&data, &["mappings", "save", s(&mine)]);
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), MAPPING);
    let saved = mappings.join("shop-export.toml");
    assert!(!std::fs::symlink_metadata(&saved)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        json(&data, &["mappings", "--json"])["mappings"][0]["title"],
        "Mine"
    );
}
