//! The trays' "Sync now" (`Workspace::sync_all_soon`) and status line (`tray_status_of`) on a data
//! folder the CLI made, against the Lemon Squeezy stand-in: Sync now queues one job per connection
//! that can sync, due at once (twice is still one), and the next scheduler run takes it; a rate-limited
//! connection keeps waiting and a refused key is not queued; the tray's line, level and whether Sync
//! now is offered follow the connection's state.

mod common;

use common::{json_of as json, with_input};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};
use tributary_engine::{tray_status_of, ChangeProbe, HealthLevel, UtcInstant, Workspace};
use tributary_standins::lemonsqueezy::DEFAULT_KEY;
use tributary_standins::{Fault, LemonSqueezyStandIn};

fn with_env(data: &Path, s: &LemonSqueezyStandIn) -> Command {
    common::tributary_on_lemonsqueezy(data, s)
}

fn tributary(data: &Path, s: &LemonSqueezyStandIn, args: &[&str]) -> Output {
    with_input(with_env(data, s).args(args), None)
}

fn run_count(data: &Path, s: &LemonSqueezyStandIn) -> usize {
    let v = json(&tributary(
        data,
        s,
        &["sync", "runs", "lemonsqueezy", "--json"],
    ));
    v["runs"].as_array().map_or(0, Vec::len)
}

fn queued_syncs(data: &Path, s: &LemonSqueezyStandIn) -> Vec<Value> {
    let v = json(&tributary(data, s, &["jobs", "--json"]));
    v["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|j| j["kind"] == "sync" && j["status"] == "queued")
        .cloned()
        .collect()
}

/// What "Sync now" queues, as a tray asks for it.
fn sync_now(data: &Path) -> Vec<String> {
    let mut workspace = Workspace::open(data).unwrap();
    workspace.sync_all_soon(UtcInstant::now()).unwrap()
}

/// The tray's line, level and Sync now item, read as the trays read it (the read-only probe).
fn tray(data: &Path) -> (String, HealthLevel, bool) {
    let probe = ChangeProbe::open(&data.join("ledger.sqlite3")).unwrap();
    let status = tray_status_of(&probe, UtcInstant::now());
    (status.line, status.level, status.can_sync)
}

#[test]
fn sync_now_queues_what_can_sync_and_the_tray_says_what_is_wrong() {
    let (s, _tmp, data) = common::connected_lemonsqueezy(120, 4);
    assert!(tributary(&data, &s, &["daemon", "--once"]).status.success());
    assert_eq!(run_count(&data, &s), 1, "just connected: synced at once");
    assert!(tributary(&data, &s, &["daemon", "--once"]).status.success());
    assert_eq!(run_count(&data, &s), 1, "synced: not due for an hour");

    let (line, level, can_sync) = tray(&data);
    assert_eq!(level, HealthLevel::Normal);
    assert!(line.starts_with("Lemon Squeezy synced, last at "), "{line}");
    assert!(can_sync);

    // Sync now: queued once, due at once, whoever runs the scheduler takes it.
    assert_eq!(sync_now(&data), vec!["lemonsqueezy".to_string()]);
    assert_eq!(sync_now(&data), vec!["lemonsqueezy".to_string()]);
    let queued = queued_syncs(&data, &s);
    assert_eq!(
        queued.len(),
        1,
        "one job, however often it is asked: {queued:?}"
    );
    let due = queued[0]["run_at"].as_str().unwrap().to_string();
    assert!(
        due <= UtcInstant::now().to_string(),
        "due now, not in an hour: {due}"
    );
    assert!(tributary(&data, &s, &["daemon", "--once"]).status.success());
    assert_eq!(run_count(&data, &s), 2, "the scheduler ran the queued sync");
    assert!(queued_syncs(&data, &s)
        .iter()
        .all(|j| j["run_at"].as_str().unwrap() > due.as_str()));

    // Rate-limited for an hour: Sync now leaves it waiting, and the tray does not offer it.
    s.set_fault(Fault::too_many_requests(3600).forever());
    assert!(!tributary(&data, &s, &["sync", "lemonsqueezy"])
        .status
        .success());
    let (line, level, can_sync) = tray(&data);
    assert_eq!(level, HealthLevel::Attention);
    assert!(
        line.starts_with("Lemon Squeezy is rate-limited until "),
        "{line}"
    );
    assert!(
        !can_sync,
        "nothing Sync now would queue: the item is greyed out"
    );
    assert!(sync_now(&data).is_empty());
    s.clear_faults();

    // A refused key: needs reconnecting, nothing to sync until it is.
    assert!(s.revoke_key(DEFAULT_KEY));
    assert!(!tributary(&data, &s, &["sync", "lemonsqueezy"])
        .status
        .success());
    let (line, level, can_sync) = tray(&data);
    assert_eq!(
        (line.as_str(), level, can_sync),
        (
            "Lemon Squeezy needs reconnecting",
            HealthLevel::Error,
            false
        )
    );
    assert!(sync_now(&data).is_empty());
}

#[test]
fn the_cli_queues_sync_now_for_whoever_runs_the_schedules() {
    let (s, _tmp, data) = common::connected_lemonsqueezy(20, 6);
    assert!(tributary(&data, &s, &["daemon", "--once"]).status.success());
    assert_eq!(run_count(&data, &s), 1);

    let out = tributary(&data, &s, &["sync", "--all", "--queue"]);
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("Queued: lemonsqueezy.")
            && said.contains("Nothing is running the scheduled syncs"),
        "{said}"
    );
    assert_eq!(run_count(&data, &s), 1, "queued, not run here");
    let v = json(&tributary(
        &data,
        &s,
        &["sync", "--all", "--queue", "--json"],
    ));
    assert_eq!(v["queued"], serde_json::json!(["lemonsqueezy"]));
    assert!(v["runner"].is_null(), "{v}");
    assert_eq!(queued_syncs(&data, &s).len(), 1, "asked twice, queued once");
    assert!(tributary(&data, &s, &["daemon", "--once"]).status.success());
    assert_eq!(run_count(&data, &s), 2, "the scheduler ran what was queued");

    let out = tributary(&data, &s, &["sync", "lemonsqueezy", "--queue"]);
    assert!(!out.status.success(), "--queue is for --all");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--all"));
}
