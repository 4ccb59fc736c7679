//! `tributary connections schedule|pause|resume` on a connection to the Lemon Squeezy stand-in: the
//! interval kept in the ledger (15m to 1d; others refused in words), a pause that leaves the
//! connection with no next sync until resumed, and the global pause.

mod common;

use common::{json_of as json, with_input};
use std::path::Path;
use std::process::Output;
use tributary_standins::lemonsqueezy::DEFAULT_KEY;
use tributary_standins::{LemonSqueezyConfig, LemonSqueezyStandIn};

fn tributary(data: &Path, s: &LemonSqueezyStandIn, args: &[&str], stdin: Option<&str>) -> Output {
    with_input(
        common::tributary(data)
            .args(args)
            .env("TRIBUTARY_CONFIG_DIR", data.with_file_name("config"))
            .env("TRIBUTARY_SECRET_STORE", "file")
            .env("TRIBUTARY_LEMONSQUEEZY_BASE_URL", s.base_url()),
        stdin,
    )
}

#[test]
fn a_connection_keeps_its_interval_and_pauses_in_the_ledger() {
    let s = LemonSqueezyStandIn::spawn(LemonSqueezyConfig::default()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    json(&tributary(
        &data,
        &s,
        &["connect", "lemonsqueezy", "--token-stdin", "--json"],
        Some(DEFAULT_KEY),
    ));
    let listed = json(&tributary(&data, &s, &["connections", "--json"], None));
    assert_eq!(
        listed["schedules"][0]["every_secs"], 3600,
        "hourly unless set: {listed}"
    );
    assert!(
        listed["schedules"][0]["next_at"].is_string(),
        "never synced: due"
    );

    let set = json(&tributary(
        &data,
        &s,
        &[
            "connections",
            "schedule",
            "lemonsqueezy",
            "--every",
            "30m",
            "--json",
        ],
        None,
    ));
    assert_eq!(set["schedule"]["every_secs"], 1800);
    for bad in ["5m", "2d", "soon"] {
        let out = tributary(
            &data,
            &s,
            &["connections", "schedule", "lemonsqueezy", "--every", bad],
            None,
        );
        assert!(!out.status.success(), "{bad}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            said.contains("15 minutes to once a day") || said.contains("is not an interval"),
            "{bad}: {said}"
        );
    }

    let paused = json(&tributary(
        &data,
        &s,
        &["connections", "pause", "lemonsqueezy", "--json"],
        None,
    ));
    assert_eq!(paused["schedule"]["paused_by"], "person");
    assert!(paused["schedule"]["next_at"].is_null());
    let text = String::from_utf8(tributary(&data, &s, &["connections"], None).stdout).unwrap();
    assert!(
        text.contains("paused (by person)") && text.contains("30m"),
        "{text}"
    );
    let resumed = json(&tributary(
        &data,
        &s,
        &["connections", "resume", "lemonsqueezy", "--json"],
        None,
    ));
    assert!(resumed["schedule"]["next_at"].is_string());

    json(&tributary(
        &data,
        &s,
        &["connections", "pause", "--all", "--json"],
        None,
    ));
    let listed = json(&tributary(&data, &s, &["connections", "--json"], None));
    assert_eq!(listed["syncing_paused"], true);
    assert!(listed["schedules"][0]["next_at"].is_null());
    json(&tributary(
        &data,
        &s,
        &["connections", "resume", "--all", "--json"],
        None,
    ));
    let listed = json(&tributary(&data, &s, &["connections", "--json"], None));
    assert_eq!(listed["syncing_paused"], false);
}
