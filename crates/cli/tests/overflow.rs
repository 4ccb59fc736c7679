//! Amounts and counts past what the ledger can add up are row errors naming the file's line and column;
//! the ledger never wraps a sum, never panics, and can always report afterwards.

mod common;

use common::{json, run, s};
use std::fmt::Write;

const HEADER: &str = "platform,account,external_id,kind,occurred_at,quantity,currency,gross,net\n";

fn file(dir: &std::path::Path, name: &str, rows: &[(&str, &str, &str)]) -> std::path::PathBuf {
    let mut text = HEADER.to_string();
    for (id, quantity, amount) in rows {
        let _ = writeln!(
            text,
            "stripe,main,{id},sale,2026-03-01T10:00:00Z,{quantity},USD,{amount},{amount}"
        );
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn usd_net(data: &std::path::Path) -> serde_json::Value {
    json(data, &["report", "--json"])["totals"][0]["net_minor"].clone()
}

#[test]
fn amounts_too_large_for_one_row_are_refused_where_they_are() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let big = file(
        tmp.path(),
        "big.csv",
        &[
            ("a1", "1", "50000000000000000.00"),
            ("a2", "1", "50000000000000000.00"),
            ("a3", "1", "92233720368547758.07"),
            ("a4", "9223372036854775807", "1.00"),
            ("a5", "1", "12.50"),
        ],
    );
    let out = json(&data, &["import", s(&big), "--json"]);
    let f = &out["files"][0];
    assert_eq!(
        (f["inserted"].as_u64(), f["rejected"].as_u64()),
        (Some(1), Some(4))
    );
    let errors: Vec<(u64, String)> = f["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap(),
                e["column"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            (2, "gross".into()),
            (3, "gross".into()),
            (4, "gross".into()),
            (5, "quantity".into())
        ]
    );
    assert!(
        f["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("more than one amount may be"),
        "{}",
        f["errors"][0]
    );
    assert_eq!(usd_net(&data), 1250);
}

#[test]
fn rows_that_would_take_a_sum_past_the_bound_are_refused_and_the_ledger_still_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    // 10¹⁵ minor units each, the most one row may have: 2,305 of them fit under the bound of 2⁶¹.
    let largest = |name: &str, ids: std::ops::Range<u32>| {
        let rows: Vec<(String, &str, &str)> = ids
            .map(|i| (format!("m{i}"), "1", "10000000000000.00"))
            .collect();
        let borrowed: Vec<(&str, &str, &str)> =
            rows.iter().map(|(a, b, c)| (a.as_str(), *b, *c)).collect();
        file(tmp.path(), name, &borrowed)
    };
    let first = largest("first.csv", 0..1_500);
    let second = largest("second.csv", 1_500..3_000);

    let out = json(&data, &["import", s(&first), s(&second), "--json"]);
    assert_eq!(out["files"][0]["inserted"], 1_500);
    let f = &out["files"][1];
    assert_eq!(
        (f["inserted"].as_u64(), f["rejected"].as_u64()),
        (Some(805), Some(695))
    );
    // The first row refused is the one that would pass the bound: line 807 of the second file.
    assert_eq!(f["errors"][0]["line"], 807);
    assert_eq!(f["errors"][0]["column"], "gross");
    assert!(f["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("would add up past what it can sum exactly"));
    assert_eq!(
        usd_net(&data),
        serde_json::json!(2_305i64 * 1_000_000_000_000_000)
    );
    for by in ["day", "month", "platform", "product", "country", "currency"] {
        let out = run(&data, &["report", "--by", by, "--json"]);
        assert!(
            out.status.success(),
            "{by}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    // Undoing the first file makes room again, and nothing wraps on the way.
    let batches = json(&data, &["batches", "--json"]);
    let first_batch = batches["batches"].as_array().unwrap().last().unwrap()["id"].clone();
    let undo = run(&data, &["batches", "undo", &first_batch.to_string()]);
    assert!(
        undo.status.success(),
        "{}",
        String::from_utf8_lossy(&undo.stderr)
    );
    assert_eq!(
        usd_net(&data),
        serde_json::json!(805i64 * 1_000_000_000_000_000)
    );
    let again = json(&data, &["import", s(&second), "--json"]);
    assert_eq!(again["files"][0]["inserted"], 695);
    assert_eq!(again["files"][0]["rejected"], 0);
    assert_eq!(
        usd_net(&data),
        serde_json::json!(1_500i64 * 1_000_000_000_000_000)
    );
}
