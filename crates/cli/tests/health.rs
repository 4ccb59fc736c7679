//! `tributary health` through the Lemon Squeezy stand-in's fault switches: healthy after a sync;
//! a 429 asking for an hour → rate-limited until then, then healthy after a sync; a 503 streak →
//! failing with "retry now"; five failures in a row → a warning; the tenth, run by the scheduler,
//! pauses the connection as Tributary's doing; resumed and synced → healthy with the count reset; a
//! revoked key → needs reconnect.

mod common;

use common::{json_of as json, with_input};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};
use tributary_standins::lemonsqueezy::DEFAULT_KEY;
use tributary_standins::{Fault, LemonSqueezyStandIn};

fn with_env(data: &Path, s: &LemonSqueezyStandIn) -> Command {
    common::tributary_on_lemonsqueezy(data, s)
}

fn tributary(data: &Path, s: &LemonSqueezyStandIn, args: &[&str]) -> Output {
    with_input(with_env(data, s).args(args), None)
}

fn health(data: &Path, s: &LemonSqueezyStandIn) -> Value {
    let v = json(&tributary(data, s, &["health", "--json"]));
    v["connections"][0].clone()
}

/// The line about all connections (the tray's status line) and its level.
fn summary(data: &Path, s: &LemonSqueezyStandIn) -> (String, String) {
    let v = json(&tributary(data, s, &["health", "--json"]));
    let summary = &v["summary"];
    (
        summary["level"].as_str().unwrap_or("?").to_string(),
        summary["line"].as_str().unwrap_or("?").to_string(),
    )
}

/// Moves every run two hours back, so that the connection is due for the scheduler again.
fn two_hours_pass(data: &Path) {
    let conn = rusqlite::Connection::open(data.join("ledger.sqlite3")).unwrap();
    conn.execute(
        "UPDATE sync_runs SET started_at = started_at - 7200000, finished_at = finished_at - 7200000",
        [],
    )
    .unwrap();
}

#[test]
fn each_state_is_reached_through_the_stand_ins_faults() {
    let (s, _tmp, data) = common::connected_lemonsqueezy(120, 4);
    let h = health(&data, &s);
    assert_eq!(h["state"], "healthy", "just connected: {h}");
    assert!(h["success_rate_24h"].is_null(), "no runs, no rate");

    assert!(tributary(&data, &s, &["daemon", "--once"]).status.success());
    let h = health(&data, &s);
    assert_eq!(h["state"], "healthy", "{h}");
    assert_eq!(h["success_rate_24h"], 1.0);
    let (level, line) = summary(&data, &s);
    assert_eq!(level, "normal");
    assert!(line.starts_with("Lemon Squeezy synced, last at "), "{line}");
    assert!(
        h["p50_duration_ms"].is_u64() && h["next_at"].is_string(),
        "{h}"
    );
    assert!(h["requests_per_run"].as_f64().unwrap() >= 1.0);
    let text = String::from_utf8_lossy(&tributary(&data, &s, &["health"]).stdout).to_string();
    assert!(
        text.contains("lemonsqueezy") && text.contains("healthy"),
        "{text}"
    );
    assert!(
        text.contains("Nothing is running the scheduled syncs"),
        "no host is up: {text}"
    );

    // A 429 asking for an hour: longer than a request waits, so the run fails as a rate limit.
    s.set_fault(Fault::too_many_requests(3600).forever());
    assert!(!tributary(&data, &s, &["sync", "lemonsqueezy"])
        .status
        .success());
    let h = health(&data, &s);
    assert_eq!(
        (h["state"].as_str(), h["fix"].as_str()),
        (Some("rate_limited"), Some("wait")),
        "{h}"
    );
    assert!(h["waiting_until"].is_string());
    assert!(h["sentence"].as_str().unwrap().contains("rate-limited"));
    let (level, line) = summary(&data, &s);
    assert_eq!(level, "attention");
    assert!(
        line.starts_with("Lemon Squeezy is rate-limited until ") && line.ends_with(" UTC"),
        "{line}"
    );
    s.clear_faults();
    assert!(tributary(&data, &s, &["sync", "lemonsqueezy"])
        .status
        .success());
    assert_eq!(health(&data, &s)["state"], "healthy");

    // A 503 streak past the client's retries: failing, retried on its own or now.
    s.set_fault(Fault::server_error(503).forever());
    assert!(!tributary(&data, &s, &["sync", "lemonsqueezy"])
        .status
        .success());
    let h = health(&data, &s);
    assert_eq!(
        (h["state"].as_str(), h["fix"].as_str()),
        (Some("failing"), Some("retry_now")),
        "{h}"
    );
    assert_eq!(h["consecutive_failures"], 1);
    assert_eq!(h["warning"], false);
    assert_eq!(
        summary(&data, &s),
        ("error".into(), "Lemon Squeezy is failing to sync".into())
    );
    // Succeeded, rate-limited, succeeded, failed.
    assert_eq!(h["success_rate_24h"], 0.5, "{h}");

    // More failures (a page of HTML: no retries, so the streak is quick): a warning at five.
    s.clear_faults();
    s.set_fault(Fault::html_page().forever());
    for n in 2..=9 {
        assert!(!tributary(&data, &s, &["sync", "lemonsqueezy"])
            .status
            .success());
        let h = health(&data, &s);
        assert_eq!(h["consecutive_failures"], n);
        assert_eq!(h["warning"], n >= 5, "{n}: {h}");
        assert_eq!(h["state"], "failing");
    }
    // The tenth, in the scheduler: it pauses itself and says so.
    two_hours_pass(&data);
    let out = tributary(&data, &s, &["daemon", "--once"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("paused itself after 10 failed syncs in a row"),
        "{said}"
    );
    let h = health(&data, &s);
    assert_eq!(
        (
            h["state"].as_str(),
            h["paused_by"].as_str(),
            h["fix"].as_str()
        ),
        (Some("paused"), Some("tributary"), Some("resume")),
        "{h}"
    );
    assert!(h["next_at"].is_null(), "paused: no next sync");
    assert!(h["sentence"].as_str().unwrap().contains("paused itself"));
    assert_eq!(
        summary(&data, &s),
        (
            "error".into(),
            "Lemon Squeezy paused itself after failing".into()
        )
    );
    two_hours_pass(&data);
    let before = json(&tributary(
        &data,
        &s,
        &["sync", "runs", "lemonsqueezy", "--json"],
    ))["runs"]
        .as_array()
        .unwrap()
        .len();
    assert!(tributary(&data, &s, &["daemon", "--once"]).status.success());
    let after = json(&tributary(
        &data,
        &s,
        &["sync", "runs", "lemonsqueezy", "--json"],
    ))["runs"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(before, after, "a paused connection is not synced");

    // Fixed and resumed: a success resets the count.
    s.clear_faults();
    assert!(
        tributary(&data, &s, &["connections", "resume", "lemonsqueezy"])
            .status
            .success()
    );
    assert!(tributary(&data, &s, &["daemon", "--once"]).status.success());
    let h = health(&data, &s);
    assert_eq!(
        (h["state"].as_str(), h["consecutive_failures"].as_u64()),
        (Some("healthy"), Some(0)),
        "{h}"
    );

    // A revoked key: needs reconnect, with the fix.
    assert!(s.revoke_key(DEFAULT_KEY));
    assert!(!tributary(&data, &s, &["sync", "lemonsqueezy"])
        .status
        .success());
    let h = health(&data, &s);
    assert_eq!(
        (h["state"].as_str(), h["fix"].as_str()),
        (Some("needs_reconnect"), Some("reconnect")),
        "{h}"
    );
    assert!(h["sentence"]
        .as_str()
        .unwrap()
        .starts_with("Lemon Squeezy needs reconnecting"));
    assert_eq!(
        summary(&data, &s),
        ("error".into(), "Lemon Squeezy needs reconnecting".into())
    );
    let text = String::from_utf8_lossy(&tributary(&data, &s, &["health"]).stdout).to_string();
    assert_eq!(
        text.lines().next(),
        Some("Lemon Squeezy needs reconnecting"),
        "the line first: {text}"
    );
    assert!(!text.contains(DEFAULT_KEY));

    // Reconnected with a new key: the refusal was the old key's, so nothing is wrong before the next
    // sync — not "failed …; reconnect it".
    s.add_key("ls_new_key");
    let out = with_input(
        with_env(&data, &s).args(["connect", "lemonsqueezy", "--token-stdin"]),
        Some("ls_new_key\n"),
    );
    assert!(out.status.success(), "{out:?}");
    let h = health(&data, &s);
    assert_eq!(
        (
            h["state"].as_str(),
            h["fix"].as_str(),
            h["sentence"].as_str()
        ),
        (Some("healthy"), None, None),
        "{h}"
    );
    assert_eq!(summary(&data, &s).0, "normal");
    assert!(tributary(&data, &s, &["sync", "lemonsqueezy"])
        .status
        .success());
    assert_eq!(health(&data, &s)["consecutive_failures"], 0);
}

/// A Lemon Squeezy key lasts a year from when it was made; connecting says it expires by a year
/// from now, and two weeks before that day the healthy connection says to make a new key.
#[test]
fn a_pasted_key_says_when_it_expires_and_asks_for_a_new_one_in_time() {
    let (s, _tmp, data) = common::connected_lemonsqueezy(20, 4);
    let h = health(&data, &s);
    let expires = h["credential_expires_at"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let in_a_year = chrono::Utc::now() + chrono::Duration::days(365);
    let said = chrono::DateTime::parse_from_rfc3339(&expires)
        .unwrap_or_else(|e| panic!("credential_expires_at {expires:?}: {e}"));
    assert!(
        (said.timestamp() - in_a_year.timestamp()).abs() < 600,
        "a year from now, not {expires}"
    );
    assert_eq!(h["state"], "healthy");
    assert!(h["sentence"].is_null(), "nothing to say a year ahead: {h}");

    // Ten days before that day.
    let conn = rusqlite::Connection::open(data.join("ledger.sqlite3")).unwrap();
    let soon = (chrono::Utc::now() + chrono::Duration::days(10)).timestamp_millis();
    conn.execute("UPDATE connections SET credential_expires_at = ?1", [soon])
        .unwrap();
    let h = health(&data, &s);
    assert_eq!(h["state"], "healthy", "{h}");
    assert_eq!(h["fix"], "reconnect", "{h}");
    let day = (chrono::Utc::now() + chrono::Duration::days(10))
        .format("%Y-%m-%d")
        .to_string();
    assert_eq!(
        h["sentence"],
        format!("Lemon Squeezy's API key expires by {day} (keys last a year): make a new one on the platform and reconnect with it before then.")
    );
    let (level, _) = summary(&data, &s);
    assert_eq!(level, "normal", "it still syncs");
}
