//! Signing in to Whop through the browser from the command line, against the Whop stand-in with its
//! OAuth 2.1 server on the same port: `$BROWSER` (here `curl`, following the redirect to Tributary's
//! loopback listener as a browser would) completes the flow with PKCE and `state`; the tokens are one
//! secret in the configuration folder, in no file of the data folder; a sync renews an access token
//! the platform refuses (once), and one about to expire before using it; a refused refresh puts the
//! connection in needs_reconnect, and signing in again brings it back with its history; a denied
//! consent stores nothing.

mod common;

use common::{json_of as json, with_input};
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;
use tributary_standins::authorization::{AuthorizationConfig, ConsentMode, DEFAULT_CLIENT_ID};
use tributary_standins::whop::generate_payments;
use tributary_standins::{WhopConfig, WhopStandIn};

fn standin(access_lifetime: Duration) -> WhopStandIn {
    let at = |y, m, d| {
        chrono::NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc()
    };
    WhopStandIn::spawn(WhopConfig {
        payments: generate_payments(150, 4, at(2025, 1, 1), at(2025, 12, 31)),
        oauth: Some(AuthorizationConfig {
            access_token_lifetime: Some(access_lifetime),
            ..AuthorizationConfig::whop()
        }),
        ..WhopConfig::default()
    })
    .unwrap()
}

fn tributary(data: &Path, s: &WhopStandIn, args: &[&str]) -> Output {
    let (authorize, token) = s.oauth_urls();
    let mut command = Command::new(env!("CARGO_BIN_EXE_tributary"));
    command
        .args(args)
        .env("TRIBUTARY_DATA_DIR", data)
        .env("TRIBUTARY_CONFIG_DIR", data.with_file_name("config"))
        .env("TRIBUTARY_SECRET_STORE", "file")
        .env("TRIBUTARY_WHOP_BASE_URL", s.base_url())
        .env("TRIBUTARY_WHOP_AUTHORIZE_URL", authorize)
        .env("TRIBUTARY_WHOP_TOKEN_URL", token)
        .env("TRIBUTARY_WHOP_CLIENT_ID", DEFAULT_CLIENT_ID)
        // The browser: fetches the authorization address and follows its redirect to the loopback
        // listener, as a person's browser does after they consent.
        .env("BROWSER", "curl -s -L -o /dev/null")
        .env("TZ", "UTC");
    with_input(&mut command, None)
}

fn sign_in(data: &Path, s: &WhopStandIn) -> serde_json::Value {
    json(&tributary(
        data,
        s,
        &["connect", "whop", "--oauth", "--json"],
    ))
}

fn sync(data: &Path, s: &WhopStandIn) -> serde_json::Value {
    json(&tributary(data, s, &["sync", "whop", "--json"]))["syncs"][0].clone()
}

/// Every file under `dir`, read whole.
fn files_hold(dir: &Path, needle: &str) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|e| {
        let path = e.path();
        if path.is_dir() {
            files_hold(&path, needle)
        } else {
            std::fs::read(&path).is_ok_and(|b| String::from_utf8_lossy(&b).contains(needle))
        }
    })
}

#[test]
fn a_browser_sign_in_syncs_renews_a_refused_token_and_a_refused_renewal_asks_to_reconnect() {
    let s = standin(Duration::from_secs(3600));
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");

    let connected = sign_in(&data, &s);
    assert_eq!(connected["connection"]["auth_kind"], "oauth", "{connected}");
    assert_eq!(connected["connection"]["platform"], "whop");
    let oauth = s.oauth().unwrap();
    assert_eq!(oauth.counters().codes_exchanged, 1);
    let first = sync(&data, &s);
    assert!(first["failure"].is_null(), "{first}");
    let events = first["inserted"].as_u64().unwrap();
    assert!(events > 0);
    // The tokens live in the configuration folder's secret file, never in the data folder.
    assert!(files_hold(&data.with_file_name("config"), "access_token"));
    assert!(!files_hold(&data, "access_token"));
    assert!(!files_hold(&data, "refresh_token"));

    // The platform stops taking the access token: the sync renews it once and goes on.
    oauth.expire_access_tokens();
    let renewed = sync(&data, &s);
    assert!(renewed["failure"].is_null(), "{renewed}");
    assert_eq!(oauth.counters().refreshes, 1);
    assert_eq!(oauth.counters().reuse_detected, 0);
    // The renewed (rotated) refresh token was saved: the next renewal works too.
    oauth.expire_access_tokens();
    assert!(sync(&data, &s)["failure"].is_null());
    assert_eq!(oauth.counters().refreshes, 2);

    // The grant revoked: the renewal is refused, and the connection needs reconnecting.
    oauth.revoke_all();
    let out = tributary(&data, &s, &["sync", "whop", "--json"]);
    assert!(!out.status.success(), "a refused sync exits with failure");
    let refused: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let refused = &refused["syncs"][0];
    assert_eq!(refused["failure"]["class"], "authentication", "{refused}");
    let listed = json(&tributary(&data, &s, &["connections", "--json"]));
    assert_eq!(
        listed["connections"][0]["state"], "needs_reconnect",
        "{listed}"
    );
    let out = tributary(&data, &s, &["sync", "whop"]);
    assert!(!out.status.success());

    // Signing in again: the same connection, its history and position kept.
    let again = sign_in(&data, &s);
    assert_eq!(again["reconnected"], true, "{again}");
    let after = sync(&data, &s);
    assert!(after["failure"].is_null(), "{after}");
    assert_eq!(after["inserted"], 0, "{after}");
    let listed = json(&tributary(&data, &s, &["connections", "--json"]));
    assert_eq!(listed["connections"].as_array().unwrap().len(), 1);
    assert_eq!(listed["connections"][0]["state"], "active");
}

#[test]
fn an_access_token_about_to_expire_is_renewed_before_it_is_used() {
    // Whop's tokens last an hour; these a minute, inside the two minutes Tributary renews ahead.
    let s = standin(Duration::from_secs(60));
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    sign_in(&data, &s);
    s.clear_requests();
    // A dry run renews it too (and writes nothing else).
    let preview = json(&tributary(
        &data,
        &s,
        &["sync", "whop", "--dry-run", "--json"],
    ))["syncs"][0]
        .clone();
    assert!(preview["failure"].is_null(), "{preview}");
    assert_eq!(s.oauth().unwrap().counters().refreshes, 1);
    let run = sync(&data, &s);
    assert!(run["failure"].is_null(), "{run}");
    assert_eq!(s.oauth().unwrap().counters().refreshes, 2);
    assert_eq!(
        run["inserted"], preview["inserted"],
        "the dry run said what the sync did"
    );
    // Renewed first: no request was refused for its token.
    assert!(
        s.requests().iter().all(|r| r.status != 401),
        "{:?}",
        s.requests()
    );
}

#[test]
fn a_denied_consent_stores_nothing_and_says_so() {
    let s = standin(Duration::from_secs(3600));
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    s.oauth().unwrap().set_consent(ConsentMode::Deny);
    let out = tributary(&data, &s, &["connect", "whop", "--oauth"]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("Whop") && said.contains("declined"), "{said}");
    let listed = json(&tributary(&data, &s, &["connections", "--json"]));
    assert_eq!(listed["connections"].as_array().unwrap().len(), 0);
    assert!(!files_hold(&data.with_file_name("config"), "access_token"));

    // Without a client id configured, a sign-in says which variable to set.
    let mut command = Command::new(env!("CARGO_BIN_EXE_tributary"));
    command
        .args(["connect", "whop", "--oauth", "--no-browser"])
        .env("TRIBUTARY_DATA_DIR", &data)
        .env("TRIBUTARY_CONFIG_DIR", data.with_file_name("config"))
        .env("TRIBUTARY_SECRET_STORE", "file")
        .env_remove("TRIBUTARY_WHOP_CLIENT_ID");
    let out = with_input(&mut command, None);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("TRIBUTARY_WHOP_CLIENT_ID"), "{said}");
}
