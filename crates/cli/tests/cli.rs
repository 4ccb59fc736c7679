//! The `tributary` CLI end to end: real binary, real data folders, real files.

mod common;

use common::{fixture, json, ok, run, s};
use serde_json::Value;
use std::collections::BTreeMap;
use tributary_bench::{Fixture, Shape, Sums};

fn sums_of(v: &Value) -> Sums {
    Sums {
        sales_minor: v["sales_minor"].as_i64().unwrap(),
        refunds_minor: v["refunds_minor"].as_i64().unwrap(),
        fees_minor: v["fees_minor"].as_i64().unwrap(),
        net_minor: v["net_minor"].as_i64().unwrap(),
        units: v["units"].as_i64().unwrap(),
        events: v["events"].as_i64().unwrap(),
    }
}

fn groups(report: &Value) -> BTreeMap<(String, String), Sums> {
    report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                (
                    g["key"].as_str().unwrap().to_string(),
                    g["currency"].as_str().unwrap().to_string(),
                ),
                sums_of(g),
            )
        })
        .collect()
}

#[test]
fn report_figures_equal_independently_computed_sums() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let (file, expected) = fixture(
        tmp.path(),
        "sales.csv",
        Fixture {
            shape: Shape::Shop,
            rows: 6_000,
            seed: 11,
            repeat_every: 50,
            first_id: 0,
        },
    );
    let imported = json(&data, &["import", s(&file), "--json"]);
    let f = &imported["files"][0];
    assert_eq!(f["format"], "ledger-csv");
    assert_eq!(f["rows_read"], expected.rows_written);
    assert_eq!(f["inserted"], expected.unique_events);
    assert_eq!(f["duplicates"], expected.repeated_rows);
    assert_eq!(f["updated"], 0);
    assert_eq!(f["errors"].as_array().unwrap().len(), 0);
    assert!(expected.repeated_rows > 0);

    let by_month = json(&data, &["report", "--by", "month", "--json"]);
    assert_eq!(groups(&by_month), expected.by_month);
    let by_platform = json(&data, &["report", "--by", "platform", "--json"]);
    assert_eq!(groups(&by_platform), expected.by_platform);
    let totals: BTreeMap<String, Sums> = by_month["totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["currency"].as_str().unwrap().to_string(), sums_of(t)))
        .collect();
    assert_eq!(totals, expected.by_currency);

    // A date range is inclusive, in UTC days: one month equals that month's group.
    let march = json(
        &data,
        &[
            "report",
            "--from",
            "2024-03-01",
            "--to",
            "2024-03-31",
            "--json",
        ],
    );
    let march_totals: BTreeMap<(String, String), Sums> = march["totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                (
                    "2024-03".to_string(),
                    t["currency"].as_str().unwrap().to_string(),
                ),
                sums_of(t),
            )
        })
        .collect();
    let expected_march: BTreeMap<(String, String), Sums> = expected
        .by_month
        .iter()
        .filter(|((m, _), _)| m == "2024-03")
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    assert!(!expected_march.is_empty());
    assert_eq!(march_totals, expected_march);

    // The text report shows the same money, formatted.
    let text = ok(&data, &["report", "--by", "platform"]);
    assert!(
        text.contains("gumroad") && text.contains("USD") && text.contains("net"),
        "{text}"
    );
}

#[test]
fn export_then_import_into_an_empty_folder_then_export_is_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let (file, expected) = fixture(
        tmp.path(),
        "sales.csv",
        Fixture {
            shape: Shape::Shop,
            rows: 3_000,
            seed: 5,
            repeat_every: 40,
            first_id: 0,
        },
    );
    let first = tmp.path().join("first");
    ok(&first, &["import", s(&file)]);
    let exported = tmp.path().join("export-1.csv");
    ok(
        &first,
        &["export", "--format", "csv", "--out", s(&exported)],
    );

    let second = tmp.path().join("second");
    let again = json(&second, &["import", s(&exported), "--json"]);
    assert_eq!(again["files"][0]["inserted"], expected.unique_events);
    assert_eq!(again["files"][0]["duplicates"], 0);
    let exported_again = tmp.path().join("export-2.csv");
    ok(
        &second,
        &["export", "--format", "csv", "--out", s(&exported_again)],
    );

    let a = std::fs::read(&exported).unwrap();
    let b = std::fs::read(&exported_again).unwrap();
    assert_eq!(a.len(), b.len());
    assert!(a == b, "the round trip changed the export");
    assert_eq!(
        String::from_utf8(a).unwrap().lines().count() as u64,
        expected.unique_events + 1
    );
    // Export to standard output is the same file.
    assert_eq!(ok(&second, &["export", "--format", "csv"]).into_bytes(), b);
}

#[test]
fn importing_the_same_file_again_inserts_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let (file, expected) = fixture(
        tmp.path(),
        "sales.csv",
        Fixture {
            shape: Shape::Shop,
            rows: 2_000,
            seed: 3,
            repeat_every: 0,
            first_id: 0,
        },
    );
    ok(&data, &["import", s(&file)]);
    let before = ok(&data, &["report", "--by", "day", "--json"]);
    let again = json(&data, &["import", s(&file), "--json"]);
    assert_eq!(again["files"][0]["inserted"], 0);
    assert_eq!(again["files"][0]["updated"], 0);
    assert_eq!(again["files"][0]["duplicates"], expected.unique_events);
    assert_eq!(ok(&data, &["report", "--by", "day", "--json"]), before);
    let status = json(&data, &["status", "--json"]);
    assert_eq!(status["events"], expected.unique_events);
    assert_eq!(status["batches_imported"], 2);
}

#[test]
fn undo_removes_exactly_a_batch_and_restores_what_it_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let (a, _) = fixture(
        tmp.path(),
        "a.csv",
        Fixture {
            shape: Shape::Shop,
            rows: 1_000,
            seed: 1,
            repeat_every: 0,
            first_id: 0,
        },
    );
    ok(&data, &["import", s(&a)]);
    let after_a = ok(&data, &["report", "--by", "product", "--json"]);
    let export_a = ok(&data, &["export", "--format", "csv"]);

    // B overlaps A on ids 500..999 with other values (another seed), and adds 1000..1499.
    let (b, _) = fixture(
        tmp.path(),
        "b.csv",
        Fixture {
            shape: Shape::Shop,
            rows: 1_000,
            seed: 2,
            repeat_every: 0,
            first_id: 500,
        },
    );
    let imported = json(&data, &["import", s(&b), "--json"]);
    let batch_b = imported["files"][0]["batch_id"].as_i64().unwrap();
    assert_eq!(
        imported["files"][0]["inserted"].as_u64().unwrap()
            + imported["files"][0]["updated"].as_u64().unwrap(),
        1_000
    );
    assert!(imported["files"][0]["updated"].as_u64().unwrap() > 0);
    assert_ne!(ok(&data, &["report", "--by", "product", "--json"]), after_a);
    let totals = |data: &std::path::Path| json(data, &["report", "--json"])["totals"].clone();
    let before_undo = totals(&data);

    let undo = json(&data, &["batches", "undo", &batch_b.to_string(), "--json"]);
    // What the undo changed is the report's totals after it, less those before, currency by currency.
    let after_undo = totals(&data);
    for changed in undo["changed"].as_array().unwrap() {
        let pick = |all: &Value| {
            all.as_array()
                .unwrap()
                .iter()
                .find(|t| t["currency"] == changed["currency"])
                .map_or(0, |t| t["net_minor"].as_i64().unwrap())
        };
        assert_eq!(
            changed["net_minor"].as_i64().unwrap(),
            pick(&after_undo) - pick(&before_undo)
        );
    }
    assert!(!undo["changed"].as_array().unwrap().is_empty());
    assert_eq!(undo["batch"]["status"], "undone");
    assert_eq!(
        undo["removed"].as_u64().unwrap() + undo["restored"].as_u64().unwrap(),
        1_000
    );
    assert_eq!(ok(&data, &["report", "--by", "product", "--json"]), after_a);
    assert_eq!(ok(&data, &["export", "--format", "csv"]), export_a);

    let listed = json(&data, &["batches", "--json"]);
    let statuses: Vec<&str> = listed["batches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["undone", "imported"]);
    assert_eq!(listed["batches"][1]["file_name"], "a.csv");
    // What A added is what the report held after it; its rows' first and last instants are kept.
    let added_a: Vec<i64> = listed["batches"][1]["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["net_minor"].as_i64().unwrap())
        .collect();
    let report_a: Value = serde_json::from_str(&ok(&data, &["report", "--json"])).unwrap();
    let report_nets: Vec<i64> = report_a["totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["net_minor"].as_i64().unwrap())
        .collect();
    assert_eq!(added_a, report_nets);
    assert!(
        listed["batches"][1]["first_event_at"].as_str().unwrap()
            <= listed["batches"][1]["last_event_at"].as_str().unwrap()
    );
    let table = ok(&data, &["batches"]);
    assert!(
        table.contains("covers") && table.contains("net added"),
        "{table}"
    );
    assert_eq!(
        listed["batches"][1]["file_hash"].as_str().unwrap().len(),
        64
    );

    let twice = run(&data, &["batches", "undo", &batch_b.to_string()]);
    assert!(!twice.status.success());
    let stderr = String::from_utf8_lossy(&twice.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("already undone"), "{stderr}");
}

#[test]
fn bad_rows_are_reported_and_strict_imports_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let file = tmp.path().join("mixed.csv");
    std::fs::write(
        &file,
        "platform,account,external_id,kind,occurred_at,quantity,currency,gross\n\
         gumroad,main,g1,sale,2024-03-05T19:38:56Z,1,USD,10.00\n\
         gumroad,main,g2,sale,2024-03-05T19:38:56Z,1,USD,10.001\n\
         gumroad,main,g3,sale,2024-03-05T19:38:56Z,1,XYZ,10.00\n",
    )
    .unwrap();

    let strict = run(&data, &["import", s(&file), "--strict"]);
    assert!(!strict.status.success());
    let stderr = String::from_utf8_lossy(&strict.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("mixed.csv") && stderr.contains("line 3") && stderr.contains("gross"),
        "{stderr}"
    );
    assert_eq!(json(&data, &["status", "--json"])["events"], 0);
    assert_eq!(
        json(&data, &["batches", "--json"])["batches"]
            .as_array()
            .unwrap()
            .len(),
        0
    );

    let lenient = json(&data, &["import", s(&file), "--json"]);
    let f = &lenient["files"][0];
    assert_eq!(
        (f["inserted"].as_u64(), f["rows_read"].as_u64()),
        (Some(1), Some(3))
    );
    let errors = f["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0]["line"], 3);
    assert_eq!(errors[0]["column"], "gross");
    assert!(errors[0]["message"]
        .as_str()
        .unwrap()
        .contains("more decimals"));
    assert_eq!(errors[1]["line"], 4);
    assert_eq!(errors[1]["column"], "currency");
}

#[test]
fn a_file_that_cannot_be_imported_fails_alone_with_one_line() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let good = tmp.path().join("good.csv");
    std::fs::write(
        &good,
        "platform,account,external_id,kind,occurred_at,quantity,currency,gross\nkdp,main,k1,royalty,2024-01-02T00:00:00Z,1,GBP,2.50\n",
    )
    .unwrap();
    let not_ledger = tmp.path().join("stripe.csv");
    std::fs::write(&not_ledger, "id,Amount,Currency\nch_1,10.00,usd\n").unwrap();
    let empty = tmp.path().join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    let binary = tmp.path().join("junk.bin");
    std::fs::write(
        &binary,
        [0u8, 159, 146, 150, 255, 0, 1, 2, 3, 10, 13, 44, 34],
    )
    .unwrap();
    let missing = tmp.path().join("missing.csv");

    for (bad, reason) in [
        (
            &not_ledger,
            "not a format Tributary knows (header: id, Amount, Currency)",
        ),
        (&empty, "empty"),
        (&binary, "holds binary data"),
        (&missing, "No such file"),
    ] {
        let out = run(&data, &["import", s(&good), s(bad)]);
        assert!(!out.status.success(), "{bad:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with("tributary: "), "{stderr}");
        assert!(
            stderr.contains(s(bad)) && stderr.contains(reason),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    // The good file was imported once and the bad ones left nothing behind.
    let status = json(&data, &["status", "--json"]);
    assert_eq!(status["events"], 1);
    assert_eq!(status["batches_imported"], 4);
    let listed = json(&data, &["batches", "--json"]);
    assert!(listed["batches"]
        .as_array()
        .unwrap()
        .iter()
        .all(|b| b["file_name"] == "good.csv"));

    let out = run(&data, &["import", s(&good), s(&missing), "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["files"][0]["duplicates"], 1);
    assert_eq!(v["files"][1]["error"]["code"], "file_unreadable");
}

#[test]
fn bad_arguments_get_a_clear_message() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    for (args, says) in [
        (vec!["report", "--from", "2024-02-30"], "--from"),
        (
            vec!["report", "--from", "2024-03-02", "--to", "2024-03-01"],
            "after --to",
        ),
        (vec!["batches", "undo", "42"], "no import batch 42"),
        (vec!["report", "--by", "week"], "week"),
    ] {
        let out = run(&data, &args);
        assert!(!out.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn the_data_folder_comes_from_the_environment_too() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("from-env");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tributary"))
        .args(["status", "--json"])
        .env("TRIBUTARY_DATA_DIR", &data)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["data_dir"], s(&data));
    assert_eq!(v["schema_version"], 14);
    assert!(data.join("ledger.sqlite3").exists());
}

#[test]
fn a_ledger_from_a_newer_build_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    ok(&data, &["status"]);
    rusqlite::Connection::open(data.join("ledger.sqlite3"))
        .unwrap()
        .execute(
            "INSERT INTO schema_migrations VALUES (999, 'future', 0)",
            [],
        )
        .unwrap();
    let out = run(&data, &["status"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("newer Tributary") && stderr.contains("999"),
        "{stderr}"
    );
}
