//! Several processes writing one data folder: a writer that finds the ledger busy waits its turn and says
//! so, first come first served, and is never refused for it; a dry run's figures are its own; and with
//! two importers, an undo and a reader going at once, no row is lost and the totals are exact.

mod common;

use common::{fixture, json, ok, run, s, tributary};
use std::path::Path;
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};
use tributary_bench::{Fixture, Shape};

fn rows(rows: u64, seed: u64, first_id: u64) -> Fixture {
    Fixture {
        shape: Shape::Shop,
        rows,
        seed,
        repeat_every: 0,
        first_id,
    }
}

/// Starts an import of `files` in its own process.
fn start_import(data: &Path, files: &[&Path], extra: &[&str]) -> Child {
    tributary(data)
        .arg("import")
        .args(files)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits until a write transaction is under way in `data` (its WAL has grown by a few MB).
fn wait_until_writing(data: &Path, child: &mut Child) {
    let wal = data.join("ledger.sqlite3-wal");
    let at_start = std::fs::metadata(&wal).map_or(0, |m| m.len());
    let started = Instant::now();
    loop {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the first import finished before the test could start the second; make it larger"
        );
        let grown = std::fs::metadata(&wal)
            .map_or(0, |m| m.len())
            .saturating_sub(at_start);
        if grown > 2 << 20 {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the import never got going"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn finished(child: Child) -> Output {
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn a_second_import_waits_for_the_first_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    ok(&data, &["status"]);
    let (big, big_expected) = fixture(tmp.path(), "big.csv", rows(300_000, 1, 0));
    let (small, small_expected) = fixture(tmp.path(), "small.csv", rows(50, 2, 10_000_000));
    let mut first = start_import(&data, &[&big], &["--json"]);
    wait_until_writing(&data, &mut first);
    let second = run(&data, &["import", s(&small), "--json"]);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(second.status.success(), "{stderr}");
    assert!(
        stderr.contains("waiting for another import to finish (importing big.csv, process "),
        "{stderr}"
    );
    assert!(!stderr.contains("locked"), "{stderr}");
    let second: serde_json::Value = serde_json::from_slice(&second.stdout).unwrap();
    assert_eq!(second["files"][0]["inserted"], small_expected.unique_events);
    let first: serde_json::Value = serde_json::from_slice(&finished(first).stdout).unwrap();
    assert_eq!(first["files"][0]["inserted"], big_expected.unique_events);
    let batches = json(&data, &["batches", "--json"]);
    let names: Vec<&str> = batches["batches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["file_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["small.csv", "big.csv"]);
}

#[test]
fn writers_go_in_the_order_they_came_so_a_run_of_files_cannot_keep_one_waiting() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    ok(&data, &["status"]);
    let files: Vec<_> = (0..4u64)
        .map(|i| {
            fixture(
                tmp.path(),
                &format!("part{i}.csv"),
                rows(150_000, 10 + i, i * 1_000_000),
            )
            .0
        })
        .collect();
    let (late, _) = fixture(tmp.path(), "late.csv", rows(20, 3, 50_000_000));
    let paths: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
    let mut many = start_import(&data, &paths, &[]);
    wait_until_writing(&data, &mut many);
    // Comes while the first of four files is being written: it goes second, not after all four.
    ok(&data, &["import", s(&late)]);
    finished(many);
    let batches = json(&data, &["batches", "--json"]);
    let mut order: Vec<(i64, String)> = batches["batches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["id"].as_i64().unwrap(),
                b["file_name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    order.sort();
    let names: Vec<&str> = order.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "part0.csv",
            "late.csv",
            "part1.csv",
            "part2.csv",
            "part3.csv"
        ]
    );
}

#[test]
fn a_dry_run_counts_only_its_own_file_while_another_import_lands() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    ok(&data, &["status"]);
    let (big, _) = fixture(tmp.path(), "big.csv", rows(300_000, 1, 0));
    let small = tmp.path().join("small.csv");
    std::fs::write(
        &small,
        "platform,account,external_id,kind,occurred_at,quantity,currency,gross\n\
         gumroad,main,only,sale,2026-03-01T10:00:00Z,1,CHF,12.34\n",
    )
    .unwrap();
    let mut first = start_import(&data, &[&big], &[]);
    wait_until_writing(&data, &mut first);
    let preview = json(&data, &["import", s(&small), "--dry-run", "--json"]);
    finished(first);
    let added = preview["files"][0]["would_add"].as_array().unwrap();
    assert_eq!(added.len(), 1, "{added:?}");
    assert_eq!(added[0]["currency"], "CHF");
    assert_eq!(added[0]["net_minor"], 1234);
    assert_eq!(added[0]["events"], 1);
}

#[test]
fn two_importers_an_undo_and_a_reader_at_once_lose_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    // The undone file: imported first, undone while the others import.
    let (doomed, _) = fixture(tmp.path(), "doomed.csv", rows(20_000, 5, 90_000_000));
    ok(&data, &["import", s(&doomed)]);
    let (a, expected_a) = fixture(tmp.path(), "a.csv", rows(120_000, 6, 0));
    let (b, expected_b) = fixture(tmp.path(), "b.csv", rows(120_000, 7, 1_000_000));
    let reader_stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let stop = reader_stop.clone();
        let data = data.clone();
        std::thread::spawn(move || {
            let mut reports = 0u32;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let out = run(&data, &["report", "--by", "month", "--json"]);
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap();
                reports += 1;
            }
            reports
        })
    };
    let first = start_import(&data, &[&a], &[]);
    let second = start_import(&data, &[&b], &[]);
    let undo = tributary(&data)
        .args(["batches", "undo", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    for child in [first, second, undo] {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(!stderr.contains("locked"), "{stderr}");
    }
    reader_stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(reader.join().unwrap() > 0);

    // Exactly the two files' events, with the sums computed apart from the ledger's code.
    assert_eq!(
        json(&data, &["status", "--json"])["events"].as_u64(),
        Some(expected_a.unique_events + expected_b.unique_events)
    );
    let report = json(&data, &["report", "--json"]);
    for total in report["totals"].as_array().unwrap() {
        let currency = total["currency"].as_str().unwrap();
        let expected: i64 = [&expected_a, &expected_b]
            .iter()
            .filter_map(|e| e.by_currency.get(currency))
            .map(|s| s.net_minor)
            .sum();
        assert_eq!(total["net_minor"].as_i64(), Some(expected), "{currency}");
    }
    let currencies: std::collections::BTreeSet<&String> = expected_a
        .by_currency
        .keys()
        .chain(expected_b.by_currency.keys())
        .collect();
    assert_eq!(report["totals"].as_array().unwrap().len(), currencies.len());
}
