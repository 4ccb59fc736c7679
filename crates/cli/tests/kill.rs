//! A `tributary import` or `batches undo` killed with SIGKILL in the middle of a large batch leaves the
//! ledger exactly as it was: same events, same rollups, same batches, an intact database, and the next
//! writer goes ahead (the killed one's turn is not left held).

mod common;

use common::{fixture, ok, s, tributary};
use std::os::unix::process::ExitStatusExt;
use std::time::{Duration, Instant};
use tributary_bench::{Fixture, Shape};

/// Runs `tributary ARGS` and kills it with SIGKILL once its transaction has written a good part of
/// itself to the WAL.
fn kill_midway(data: &std::path::Path, args: &[&str]) {
    let wal = data.join("ledger.sqlite3-wal");
    let wal_at_start = std::fs::metadata(&wal).map_or(0, |m| m.len());
    let mut child = tributary(data).args(args).spawn().unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("{args:?} finished ({status}) before it could be killed; make the file larger");
        }
        let grown = std::fs::metadata(&wal)
            .map_or(0, |m| m.len())
            .saturating_sub(wal_at_start);
        if grown > 8 << 20 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "{args:?} never got going"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(libc::SIGKILL), "{status}");
}

fn assert_intact(data: &std::path::Path) {
    let conn = rusqlite::Connection::open(data.join("ledger.sqlite3")).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
}

fn snapshot(data: &std::path::Path) -> (String, String, String, String) {
    (
        ok(data, &["export", "--format", "csv"]),
        ok(data, &["report", "--by", "day", "--json"]),
        ok(data, &["report", "--by", "product", "--json"]),
        ok(data, &["batches", "--json"]),
    )
}

#[test]
fn sigkill_during_an_import_leaves_the_ledger_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let (small, _) = fixture(
        tmp.path(),
        "small.csv",
        Fixture {
            shape: Shape::Shop,
            rows: 500,
            seed: 1,
            repeat_every: 0,
            first_id: 0,
        },
    );
    ok(&data, &["import", s(&small)]);
    let before = snapshot(&data);

    // Overlaps the small file (updates) and adds many more rows (inserts).
    let (big, expected) = fixture(
        tmp.path(),
        "big.csv",
        Fixture {
            shape: Shape::Shop,
            rows: 400_000,
            seed: 2,
            repeat_every: 100,
            first_id: 250,
        },
    );
    kill_midway(&data, &["import", s(&big)]);
    assert_eq!(
        snapshot(&data),
        before,
        "a killed import changed the ledger"
    );
    assert_intact(&data);
    let conn = rusqlite::Connection::open(data.join("ledger.sqlite3")).unwrap();
    let in_progress: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM batches WHERE status <> 'imported'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(in_progress, 0);
    drop(conn);

    // The same import, not interrupted, then goes through.
    let out = ok(&data, &["import", s(&big), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["files"][0]["rows_read"], expected.rows_written);
    assert_eq!(
        v["files"][0]["inserted"].as_u64().unwrap() + v["files"][0]["updated"].as_u64().unwrap(),
        expected.unique_events
    );
}

#[test]
fn sigkill_during_an_undo_leaves_the_ledger_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let (big, _) = fixture(
        tmp.path(),
        "big.csv",
        Fixture {
            shape: Shape::Shop,
            rows: 400_000,
            seed: 3,
            repeat_every: 0,
            first_id: 0,
        },
    );
    // A second file delivering half of the first file's sales again, with other sales of its own.
    let (overlap, _) = fixture(
        tmp.path(),
        "overlap.csv",
        Fixture {
            shape: Shape::Shop,
            rows: 100_000,
            seed: 3,
            repeat_every: 0,
            first_id: 350_000,
        },
    );
    ok(&data, &["import", s(&big), s(&overlap)]);
    let before = snapshot(&data);

    kill_midway(&data, &["batches", "undo", "1"]);
    assert_eq!(snapshot(&data), before, "a killed undo changed the ledger");
    assert_intact(&data);

    // Then the undo goes through, keeping what the second file delivered too.
    let out = ok(&data, &["batches", "undo", "1", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["removed"], 350_000);
    assert_eq!(v["kept"], 50_000);
    let status: serde_json::Value =
        serde_json::from_str(&ok(&data, &["status", "--json"])).unwrap();
    assert_eq!(status["events"], 100_000);
}
