//! `tributary connections check NAME`: one call with the saved credential, no sync — accepted; a
//! rate limit or an outage says so and changes nothing; a revoked key puts the connection in needs
//! reconnect, as a sync would; the key itself is never printed.

mod common;

use common::{json_of as json, with_input};
use std::path::Path;
use std::process::{Command, Output};
use tributary_standins::lemonsqueezy::DEFAULT_KEY;
use tributary_standins::{Fault, LemonSqueezyConfig, LemonSqueezyStandIn};

fn tributary(data: &Path, s: &LemonSqueezyStandIn, args: &[&str]) -> Output {
    with_input(common::tributary_on_lemonsqueezy(data, s).args(args), None)
}

fn runs(data: &Path, s: &LemonSqueezyStandIn) -> usize {
    json(&tributary(
        data,
        s,
        &["sync", "runs", "lemonsqueezy", "--json"],
    ))["runs"]
        .as_array()
        .map_or(0, Vec::len)
}

#[test]
fn a_check_asks_the_platform_and_syncs_nothing() {
    let s = LemonSqueezyStandIn::spawn(LemonSqueezyConfig::default()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let connect: &mut Command = &mut common::tributary_on_lemonsqueezy(&data, &s);
    json(&with_input(
        connect.args(["connect", "lemonsqueezy", "--token-stdin", "--json"]),
        Some(&format!("{DEFAULT_KEY}\n")),
    ));
    let requests_before = s.requests().len();

    let out = tributary(&data, &s, &["connections", "check", "lemonsqueezy"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("accepts its credential"), "{said}");
    let v = json(&tributary(
        &data,
        &s,
        &["connections", "check", "lemonsqueezy", "--json"],
    ));
    assert_eq!(v["check"]["accepted"], true, "{v}");
    assert!(v["check"]["account"].is_string(), "{v}");
    assert_eq!(runs(&data, &s), 0, "a check is not a sync");
    assert_eq!(
        s.requests().len() - requests_before,
        2,
        "one request per check"
    );

    // The platform is down: said, retried later, the connection stays as it was.
    s.set_fault(Fault::server_error(503).forever());
    let out = tributary(
        &data,
        &s,
        &["connections", "check", "lemonsqueezy", "--json"],
    );
    assert!(!out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["check"]["accepted"], false);
    assert_eq!(v["check"]["failure"]["class"], "transient", "{v}");
    assert_eq!(v["check"]["needs_reconnect"], false);
    let h = json(&tributary(&data, &s, &["health", "--json"]));
    assert_eq!(h["connections"][0]["state"], "healthy", "{h}");
    s.clear_faults();

    // Revoked: needs reconnecting, with what to run.
    assert!(s.revoke_key(DEFAULT_KEY));
    let out = tributary(&data, &s, &["connections", "check", "lemonsqueezy"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("it now needs reconnecting"), "{err}");
    assert!(
        err.contains("tributary connect lemonsqueezy --token-stdin"),
        "{err}"
    );
    assert!(
        !err.contains(DEFAULT_KEY) && !String::from_utf8_lossy(&out.stdout).contains(DEFAULT_KEY)
    );
    let h = json(&tributary(&data, &s, &["health", "--json"]));
    assert_eq!(
        (
            h["connections"][0]["state"].as_str(),
            h["connections"][0]["fix"].as_str()
        ),
        (Some("needs_reconnect"), Some("reconnect")),
        "{h}"
    );
    assert_eq!(runs(&data, &s), 0);
}
