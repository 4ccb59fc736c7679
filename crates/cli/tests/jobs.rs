//! `tributary jobs` and `tributary jobs retry ID` on a real data folder: the counts by state and the
//! jobs, newest first; a dead job queued again with fresh attempts; a job that is not dead, or not
//! there, refused in words.

mod common;

use common::{json_of as json, with_input};
use std::path::Path;
use std::process::Output;

fn tributary(data: &Path, args: &[&str]) -> Output {
    with_input(common::tributary(data).args(args), None)
}

#[test]
fn the_queue_lists_its_jobs_and_a_dead_one_is_queued_again() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let empty = json(&tributary(&data, &["jobs", "--json"]));
    assert_eq!(empty["counts"]["queued"], 0, "{empty}");
    assert_eq!(empty["jobs"].as_array().unwrap().len(), 0);

    // A sync that failed for good, as the scheduler will leave one.
    let ledger = rusqlite::Connection::open(data.join("ledger.sqlite3")).unwrap();
    ledger
        .execute(
            "INSERT INTO jobs (kind, payload, dedupe_key, status, run_at, attempts, max_attempts,
                               last_error, failed_at, created_at, updated_at)
             VALUES ('sync', '{\"connection\":1}', 'sync:1', 'dead', 0, 5, 5,
                     'Whop answered 503 five times', 1, 0, 1)",
            [],
        )
        .unwrap();
    drop(ledger);
    let listed = json(&tributary(&data, &["jobs", "--json"]));
    assert_eq!(listed["counts"]["dead"], 1, "{listed}");
    let job = &listed["jobs"][0];
    assert_eq!(
        (job["status"].as_str(), job["attempts"].as_u64()),
        (Some("dead"), Some(5))
    );
    let id = job["id"].as_i64().unwrap().to_string();
    let text = String::from_utf8(tributary(&data, &["jobs"]).stdout).unwrap();
    assert!(
        text.contains("1 dead") && text.contains("Whop answered 503 five times"),
        "{text}"
    );

    let retried = json(&tributary(&data, &["jobs", "retry", &id, "--json"]));
    assert_eq!(retried["job"]["status"], "queued", "{retried}");
    assert_eq!(retried["job"]["attempts"], 0);
    let again = tributary(&data, &["jobs", "retry", &id]);
    assert!(!again.status.success());
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(said.contains("only a dead job can be retried"), "{said}");
    let missing = tributary(&data, &["jobs", "retry", "999"]);
    assert!(String::from_utf8_lossy(&missing.stderr).contains("there is no job 999"));
}
