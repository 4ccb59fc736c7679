//! `tributary daemon` against the Lemon Squeezy stand-in: two daemons on one data folder make one
//! runner, the other waiting and taking over when the first stops; SIGTERM mid-sync exits 0 with the
//! whole pages kept, the run interrupted and the job back in the queue uncounted; a runner SIGKILLed
//! mid-sync is taken over by the next daemon at once, and its job finishes without a duplicate row;
//! a machine that slept through several intervals syncs once; a pause holds every sync; a refused
//! key is said in a sentence and not retried; a sync queued by another process, and a lease let go,
//! are seen at once, not at the next tick.

mod common;

use common::{json_of as json, with_input};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tributary_standins::lemonsqueezy::{generate_orders, DEFAULT_KEY};
use tributary_standins::{LemonSqueezyConfig, LemonSqueezyStandIn};

fn standin() -> LemonSqueezyStandIn {
    let (from, to) = (common::midnight(2025, 1, 1), common::midnight(2025, 12, 31));
    LemonSqueezyStandIn::spawn(LemonSqueezyConfig {
        orders: generate_orders(360, 9, from, to),
        ..LemonSqueezyConfig::default()
    })
    .unwrap()
}

fn with_env(data: &Path, s: &LemonSqueezyStandIn) -> Command {
    common::tributary_on_lemonsqueezy(data, s)
}

fn tributary(data: &Path, s: &LemonSqueezyStandIn, args: &[&str]) -> Output {
    with_input(with_env(data, s).args(args), None)
}

fn connected(s: &LemonSqueezyStandIn) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    json(&with_input(
        with_env(&data, s).args(["connect", "lemonsqueezy", "--token-stdin", "--json"]),
        Some(&format!("{DEFAULT_KEY}\n")),
    ));
    (tmp, data)
}

/// A running daemon and the lines it has printed so far.
struct Daemon {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Daemon {
    fn start(data: &Path, s: &LemonSqueezyStandIn) -> Daemon {
        let mut child = with_env(data, s)
            .arg("daemon")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (out, into) = (child.stdout.take().unwrap(), Arc::clone(&lines));
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                into.lock().unwrap().push(line);
            }
        });
        Daemon { child, lines }
    }

    fn said(&self, part: &str) -> bool {
        self.lines.lock().unwrap().iter().any(|l| l.contains(part))
    }

    fn wait_to_say(&self, part: &str, within: Duration) {
        let start = Instant::now();
        while !self.said(part) {
            assert!(
                start.elapsed() < within,
                "never said {part:?}; said: {:#?}",
                self.lines.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn signal(&self, signal: i32) {
        // SAFETY: kill(2) on our own child's pid.
        assert_eq!(unsafe { libc::kill(self.child.id() as i32, signal) }, 0);
    }

    /// SIGTERM, then its exit within `within`.
    fn stop(mut self, within: Duration) -> (std::process::ExitStatus, Vec<String>) {
        self.signal(libc::SIGTERM);
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(50));
                return (status, self.lines.lock().unwrap().clone());
            }
            assert!(start.elapsed() < within, "did not stop within {within:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn runs(data: &Path, s: &LemonSqueezyStandIn) -> Vec<String> {
    let v = json(&tributary(
        data,
        s,
        &["sync", "runs", "lemonsqueezy", "--json"],
    ));
    v["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap().to_string())
        .collect()
}

fn jobs(data: &Path, s: &LemonSqueezyStandIn) -> Vec<Value> {
    let v = json(&tributary(data, s, &["jobs", "--json"]));
    v["jobs"].as_array().unwrap().clone()
}

/// The ledger's totals and its event count: what an uninterrupted sync of the same stand-in gives.
fn ledger_of(data: &Path, s: &LemonSqueezyStandIn) -> (Value, i64) {
    let report = json(&tributary(
        data,
        s,
        &["report", "--by", "currency", "--json"],
    ));
    let conn = rusqlite::Connection::open(data.join("ledger.sqlite3")).unwrap();
    let events = conn
        .query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
        .unwrap();
    (report, events)
}

fn plain_sync(s: &LemonSqueezyStandIn) -> (Value, i64) {
    let (_tmp, data) = connected(s);
    json(&tributary(&data, s, &["sync", "lemonsqueezy", "--json"]));
    ledger_of(&data, s)
}

/// `tributary sync --all --queue` from another process: the sleeping runner sees the queued job
/// within a second or two instead of at its next tick, 20 s after its last.
#[test]
fn a_sync_queued_by_another_process_runs_at_once() {
    let s = standin();
    let (_tmp, data) = connected(&s);
    let daemon = Daemon::start(&data, &s);
    daemon.wait_to_say("lemonsqueezy: ", Duration::from_secs(30));
    let synced = || {
        daemon
            .lines
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains("lemonsqueezy: "))
            .count()
    };
    assert_eq!(synced(), 1);
    let out = tributary(&data, &s, &["sync", "--all", "--queue"]);
    assert!(out.status.success(), "{out:?}");
    let queued = Instant::now();
    while synced() < 2 {
        assert!(
            queued.elapsed() < Duration::from_secs(8),
            "the queued sync did not run within 8 s: {:?}",
            daemon.lines.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let (status, _) = daemon.stop(Duration::from_secs(10));
    assert!(status.success());
    assert_eq!(runs(&data, &s), ["succeeded", "succeeded"]);
}

#[test]
fn two_daemons_make_one_runner_and_the_other_takes_over_when_it_stops() {
    let s = standin();
    let (_tmp, data) = connected(&s);
    let first = Daemon::start(&data, &s);
    first.wait_to_say("this process runs the syncs", Duration::from_secs(20));
    let second = Daemon::start(&data, &s);
    second.wait_to_say("waiting to take over", Duration::from_secs(20));
    first.wait_to_say("lemonsqueezy: ", Duration::from_secs(30));
    std::thread::sleep(Duration::from_millis(500));
    assert!(!second.said("this process runs the syncs"));
    assert!(!second.said("lemonsqueezy: "), "the second synced too");
    assert_eq!(runs(&data, &s), ["succeeded"]);
    let line = first
        .lines
        .lock()
        .unwrap()
        .iter()
        .find(|l| l.contains("lemonsqueezy: "))
        .cloned()
        .unwrap();
    assert!(
        line.contains(" new, ") && line.contains(" requests, ") && line.ends_with(" s"),
        "one readable line per run: {line}"
    );

    let (status, said) = first.stop(Duration::from_secs(10));
    assert!(status.success(), "{status}");
    assert_eq!(
        said.last().map(String::as_str),
        Some("tributary daemon: stopped")
    );
    // Its lease released, the second sees it within a second or two, not at its next 20 s tick (which
    // is ~18 s away: it last looked when it started).
    second.wait_to_say("this process runs the syncs", Duration::from_secs(8));
    let (status, _) = second.stop(Duration::from_secs(10));
    assert!(status.success());
    assert_eq!(
        runs(&data, &s),
        ["succeeded"],
        "not due again within the hour"
    );
}

#[test]
fn sigterm_mid_sync_keeps_the_whole_pages_and_exits_0_then_the_sync_goes_on() {
    let s = standin();
    let (_tmp, data) = connected(&s);
    s.set_latency(Duration::from_millis(400));
    s.clear_requests();
    let daemon = Daemon::start(&data, &s);
    let start = Instant::now();
    while s.requests().len() < 2 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "never asked twice"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let (status, said) = daemon.stop(Duration::from_secs(5));
    assert!(status.success(), "{status}: {said:#?}");
    assert!(
        said.iter()
            .any(|l| l.contains("lemonsqueezy: stopped after")),
        "{said:#?}"
    );
    assert_eq!(runs(&data, &s), ["interrupted"]);
    let jobs = jobs(&data, &s);
    assert_eq!(
        (jobs[0]["status"].as_str(), jobs[0]["attempts"].as_u64()),
        (Some("queued"), Some(0)),
        "back in the queue, the stopped try not counted: {jobs:#?}"
    );
    assert!(jobs[0]["lease_owner"].is_null());

    s.set_latency(Duration::ZERO);
    let once = tributary(&data, &s, &["daemon", "--once"]);
    assert!(once.status.success(), "{once:?}");
    assert_eq!(runs(&data, &s), ["succeeded", "interrupted"]);
    assert_eq!(ledger_of(&data, &s), plain_sync(&s));
}

#[test]
fn a_runner_killed_mid_sync_is_taken_over_at_once_and_its_job_finishes_without_duplicates() {
    let s = standin();
    let (_tmp, data) = connected(&s);
    s.set_latency(Duration::from_millis(400));
    s.clear_requests();
    let mut killed = Daemon::start(&data, &s);
    let start = Instant::now();
    while s.requests().len() < 2 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "never asked twice"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    killed.signal(libc::SIGKILL);
    killed.child.wait().unwrap();
    s.set_latency(Duration::ZERO);
    let held = jobs(&data, &s);
    assert_eq!(
        held[0]["status"], "running",
        "the dead runner's lease is still on it"
    );

    // Its leases run ten minutes; the next daemon sees the process is gone and does not wait.
    let next = Daemon::start(&data, &s);
    next.wait_to_say("this process runs the syncs", Duration::from_secs(10));
    next.wait_to_say("lemonsqueezy: ", Duration::from_secs(30));
    let (status, _) = next.stop(Duration::from_secs(10));
    assert!(status.success());
    let jobs = jobs(&data, &s);
    assert_eq!(jobs.len(), 1, "{jobs:#?}");
    assert_eq!(
        (jobs[0]["status"].as_str(), jobs[0]["attempts"].as_u64()),
        (Some("done"), Some(2)),
        "{jobs:#?}"
    );
    assert_eq!(runs(&data, &s), ["succeeded", "interrupted"]);
    assert_eq!(ledger_of(&data, &s), plain_sync(&s));
}

#[test]
fn a_long_sleep_syncs_once_and_a_pause_holds_every_sync() {
    let s = standin();
    let (_tmp, data) = connected(&s);
    let once = || tributary(&data, &s, &["daemon", "--once"]);
    assert!(once().status.success());
    assert_eq!(runs(&data, &s), ["succeeded"], "never synced: due at start");
    assert!(once().status.success());
    assert_eq!(
        runs(&data, &s),
        ["succeeded"],
        "synced within its hour: not due"
    );

    // The machine slept three days: the missed 72 intervals make one sync.
    let conn = rusqlite::Connection::open(data.join("ledger.sqlite3")).unwrap();
    let back = |conn: &rusqlite::Connection| {
        conn.execute(
            "UPDATE sync_runs SET started_at = started_at - 3 * 86400000,
                                  finished_at = finished_at - 3 * 86400000",
            [],
        )
        .unwrap()
    };
    back(&conn);
    assert!(once().status.success());
    assert_eq!(runs(&data, &s), ["succeeded", "succeeded"]);

    back(&conn);
    for args in [
        &["connections", "pause", "--all"][..],
        &["connections", "pause", "lemonsqueezy"][..],
    ] {
        assert!(tributary(&data, &s, args).status.success());
        assert!(once().status.success());
        assert_eq!(runs(&data, &s).len(), 2, "paused ({args:?}): no sync");
        let resume: Vec<&str> = args
            .iter()
            .map(|a| if *a == "pause" { "resume" } else { a })
            .collect();
        assert!(tributary(&data, &s, &resume).status.success());
    }
    assert!(once().status.success());
    assert_eq!(runs(&data, &s).len(), 3, "resumed: due again");
}

#[test]
fn a_refused_key_is_said_once_and_not_retried() {
    let s = standin();
    let (_tmp, data) = connected(&s);
    assert!(s.revoke_key(DEFAULT_KEY));
    let out = tributary(&data, &s, &["daemon", "--once"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    let line = said
        .lines()
        .find(|l| l.contains("lemonsqueezy: failed"))
        .unwrap_or_else(|| panic!("{said}"));
    assert!(line.contains("not retried: reconnect it"), "{line}");
    assert!(!said.contains(DEFAULT_KEY), "the key is never printed");
    let jobs = jobs(&data, &s);
    assert_eq!(
        (jobs[0]["status"].as_str(), jobs[0]["attempts"].as_u64()),
        (Some("dead"), Some(1))
    );
    let connections = json(&tributary(&data, &s, &["connections", "--json"]));
    assert_eq!(connections["connections"][0]["state"], "needs_reconnect");
    // Needing a reconnect, it is not due: nothing more is tried.
    assert!(tributary(&data, &s, &["daemon", "--once"]).status.success());
    assert_eq!(runs(&data, &s), ["failed"]);
}
