//! The real `tributary` binary on the report files that `tests/fixtures/generate.py` builds from the
//! platforms' public descriptions (KDP workbooks in English and Spanish, their CSV copy, Stripe exports of
//! two generations, a UTF-16 Gumroad export, a European CSV with its mapping, bad files), checked against
//! the totals that script computes on its own, in Python, from the same data.

mod common;

use common::{json, ok, run, s};
use serde_json::Value;
use std::path::{Path, PathBuf};

const SUMS: [&str; 9] = [
    "sales_minor",
    "refunds_minor",
    "chargebacks_minor",
    "fees_minor",
    "adjustments_minor",
    "net_minor",
    "units",
    "kenp_pages",
    "events",
];

/// Generates the fixtures into `dir` and returns `expected.json`.
fn generate(dir: &Path) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/generate.py");
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg(dir)
        .output()
        .expect("python3 runs (scripts/install-deps installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap()
}

/// The report's totals, reduced to the figures the script computes.
fn totals(data: &Path) -> Vec<Value> {
    let report = json(data, &["report", "--json"]);
    report["totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let mut picked = serde_json::Map::new();
            picked.insert("currency".into(), t["currency"].clone());
            for k in SUMS {
                picked.insert(k.into(), t[k].clone());
            }
            Value::Object(picked)
        })
        .collect()
}

#[test]
fn every_scenario_reports_the_independently_computed_totals() {
    let tmp = tempfile::tempdir().unwrap();
    let files = tmp.path().join("files");
    let expected = generate(&files);
    let scenarios = expected["scenarios"].as_array().unwrap();
    assert!(scenarios.len() >= 14);
    for scenario in scenarios {
        let name = scenario["name"].as_str().unwrap();
        let data = tmp.path().join(name);
        for step in scenario["imports"].as_array().unwrap() {
            let file = files.join(step["file"].as_str().unwrap());
            let mut args = vec!["import".to_string(), s(&file).to_string(), "--json".into()];
            if let Some(mapping) = step["mapping"].as_str() {
                args.extend(["--map".into(), s(&files.join(mapping)).to_string()]);
            }
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let done = &json(&data, &args)["files"][0];
            let context = format!("{name}: {}", step["file"]);
            assert_eq!(done["inserted"], step["new"], "{context}: new");
            assert_eq!(done["duplicates"], step["duplicates"], "{context}");
            for (mine, theirs) in [
                ("rows_read", "rows"),
                ("skipped", "skipped"),
                ("rejected", "rejected"),
            ] {
                if !step[theirs].is_null() {
                    assert_eq!(done[mine], step[theirs], "{context}: {theirs}");
                }
            }
        }
        assert_eq!(
            Value::Array(totals(&data)),
            scenario["totals"],
            "scenario {name}: {}",
            scenario["description"]
        );
    }
}

#[test]
fn a_dry_run_shows_the_same_counts_and_totals_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let files = tmp.path().join("files");
    let expected = generate(&files);
    let data = tmp.path().join("data");
    let path: PathBuf = files.join("KDP_Prior_Month_Royalties-2026-03-01.xlsx");
    let dashboard = files.join("KDP_Dashboard-2026-03.xlsx");
    ok(&data, &["import", s(&dashboard)]);
    let before = totals(&data);
    let preview = json(&data, &["import", s(&path), "--dry-run", "--json"]);
    let file = &preview["files"][0];
    assert_eq!(file["dry_run"], true);
    assert!(file["batch_id"].is_null());
    assert_eq!(file["format"], "kdp-workbook");
    assert_eq!(file["reading"]["sheets"][0], "Total Earnings");
    assert_eq!(totals(&data), before, "a dry run writes nothing");
    assert_eq!(
        json(&data, &["batches", "--json"])["batches"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // What it said it would add is what importing adds.
    let would_add = file["would_add"].as_array().unwrap().clone();
    ok(&data, &["import", s(&path)]);
    let after = totals(&data);
    for added in &would_add {
        let currency = &added["currency"];
        let find = |all: &[Value]| all.iter().find(|t| t["currency"] == *currency).cloned();
        let (b, a) = (find(&before), find(&after).unwrap());
        for k in SUMS {
            let was = b.as_ref().map_or(0, |b| b[k].as_i64().unwrap());
            assert_eq!(
                a[k].as_i64().unwrap() - was,
                added[k].as_i64().unwrap(),
                "{currency} {k}"
            );
        }
    }
    let scenario = expected["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "kdp_dashboard_then_prior")
        .unwrap();
    assert_eq!(Value::Array(after), scenario["totals"]);
    // Amazon.de has no final figures for March: its estimates still count, and are marked as such.
    let estimated: i64 = json(&data, &["report", "--json"])["totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["estimated_events"].as_i64().unwrap())
        .sum();
    assert!(estimated > 0);
    let text = ok(&data, &["report", "--by", "month"]);
    assert!(text.contains("2026-03 *  EUR"), "{text}");
    assert!(
        text.contains(&format!("* includes {estimated} estimated events")),
        "{text}"
    );
}

#[test]
fn bad_files_fail_alone_or_report_their_rows_and_never_leave_half_an_import() {
    let tmp = tempfile::tempdir().unwrap();
    let files = tmp.path().join("files");
    let expected = generate(&files);
    for bad in expected["bad"].as_array().unwrap() {
        let name = bad["file"].as_str().unwrap();
        let data = tmp.path().join(format!("data-{name}"));
        let out = run(&data, &["import", s(&files.join(name)), "--json"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let file = &v["files"][0];
        match bad["expect"].as_str().unwrap() {
            "file_error" => {
                assert!(!out.status.success(), "{name}");
                assert_eq!(stderr.lines().count(), 1, "{name}: {stderr}");
                assert!(stderr.contains(name), "{name}: {stderr}");
                // A file of no known format has its own code (a window offers a column mapping).
                let unknown = stderr.contains("not a format Tributary knows");
                let code = if unknown {
                    "unknown_format"
                } else {
                    "file_unreadable"
                };
                assert_eq!(file["error"]["code"], code, "{name}");
                assert_eq!(json(&data, &["status", "--json"])["events"], 0, "{name}");
            }
            "no_events" => {
                assert!(out.status.success(), "{name}: {stderr}");
                assert_eq!(file["inserted"], 0, "{name}");
                assert_eq!(file["rows_read"], bad["rows"], "{name}");
            }
            "row_errors" => {
                assert!(out.status.success(), "{name}: {stderr}");
                assert_eq!(file["rows_read"], bad["rows"], "{name}");
                assert_eq!(file["inserted"], bad["good_events"], "{name}");
                let errors: Vec<(Value, Value)> = file["errors"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| (e["line"].clone(), e["column"].clone()))
                    .collect();
                let want: Vec<(Value, Value)> = bad["row_errors"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| (e["line"].clone(), e["column"].clone()))
                    .collect();
                assert_eq!(errors, want, "{name}");
                // Under --strict the same file imports nothing.
                let strict = tmp.path().join(format!("strict-{name}"));
                let out = run(&strict, &["import", s(&files.join(name)), "--strict"]);
                assert!(!out.status.success(), "{name}");
                assert_eq!(json(&strict, &["status", "--json"])["events"], 0, "{name}");
            }
            other => panic!("{name}: unknown expectation {other}"),
        }
    }
}
