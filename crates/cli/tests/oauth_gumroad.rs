//! Signing in to Gumroad through the browser from the command line, against the Gumroad stand-in with
//! its Doorkeeper-like OAuth server on the same port (a confidential client: the secret from
//! `TRIBUTARY_GUMROAD_CLIENT_SECRET`; tokens that never expire): the sign-in connects, the sync brings
//! the stand-in's sales, and a wrong client secret is refused with nothing stored.

mod common;

use common::{json_of as json, with_input};
use std::path::Path;
use std::process::{Command, Output};
use tributary_standins::authorization::{AuthorizationConfig, DEFAULT_CLIENT_ID};
use tributary_standins::{GumroadConfig, GumroadStandIn};

const SECRET: &str = "standin-gumroad-client-secret";

fn tributary(data: &Path, s: &GumroadStandIn, args: &[&str], secret: &str) -> Output {
    let (authorize, token) = s.oauth_urls();
    let mut command = Command::new(env!("CARGO_BIN_EXE_tributary"));
    command
        .args(args)
        .env("TRIBUTARY_DATA_DIR", data)
        .env("TRIBUTARY_CONFIG_DIR", data.with_file_name("config"))
        .env("TRIBUTARY_SECRET_STORE", "file")
        .env("TRIBUTARY_GUMROAD_BASE_URL", s.base_url())
        .env("TRIBUTARY_GUMROAD_AUTHORIZE_URL", authorize)
        .env("TRIBUTARY_GUMROAD_TOKEN_URL", token)
        .env("TRIBUTARY_GUMROAD_CLIENT_ID", DEFAULT_CLIENT_ID)
        .env("TRIBUTARY_GUMROAD_CLIENT_SECRET", secret)
        .env("BROWSER", "curl -s -L -o /dev/null")
        .env("TZ", "UTC");
    with_input(&mut command, None)
}

#[test]
fn a_gumroad_sign_in_syncs_its_sales_and_a_wrong_client_secret_stores_nothing() {
    let at = |y, m, d| {
        chrono::NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc()
    };
    let s = GumroadStandIn::spawn(GumroadConfig {
        oauth: Some(AuthorizationConfig::gumroad(SECRET)),
        ..GumroadConfig::with_generated_sales(40, 3, at(2025, 1, 1), at(2025, 12, 31))
    })
    .unwrap();
    let tmp = tempfile::tempdir().unwrap();

    let refused = tmp.path().join("refused");
    let out = tributary(
        &refused,
        &s,
        &["connect", "gumroad", "--oauth"],
        "not-the-secret",
    );
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("Gumroad") && !said.contains("not-the-secret"),
        "{said}"
    );
    let listed = json(&tributary(&refused, &s, &["connections", "--json"], SECRET));
    assert_eq!(listed["connections"].as_array().unwrap().len(), 0);

    let data = tmp.path().join("data");
    let connected = json(&tributary(
        &data,
        &s,
        &["connect", "gumroad", "--oauth", "--json"],
        SECRET,
    ));
    assert_eq!(connected["connection"]["auth_kind"], "oauth", "{connected}");
    let run = json(&tributary(
        &data,
        &s,
        &["sync", "gumroad", "--json"],
        SECRET,
    ));
    let run = &run["syncs"][0];
    assert!(run["failure"].is_null(), "{run}");
    let sold: u64 = s.expected_totals().values().map(|t| t.sales).sum();
    assert!(
        run["inserted"].as_u64().unwrap() >= sold,
        "{run}: {sold} sales"
    );
    // Gumroad's tokens do not expire: nothing to renew.
    assert_eq!(s.oauth().unwrap().counters().refreshes, 0);
}
