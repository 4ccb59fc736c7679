//! Connecting and syncing Gumroad from the command line against the Gumroad stand-in on 127.0.0.1, as
//! a creator would: a refused token saves nothing; a good one is kept in the secret store (here the
//! file store: a real keyring is tested in crates/secrets) and never in the ledger; a sync brings the
//! stand-in's own totals, a second one nothing new; a 503 streak stops a sync keeping its whole pages
//! and the next one finishes; a revoked token needs a reconnect, which keeps the history; undo keeps
//! what later runs delivered again and takes out what only its run had; disconnect.

mod common;

use common::{json_of as json, with_input};
use serde_json::Value;
use std::path::Path;
use std::process::Output;
use tributary_standins::gumroad::DEFAULT_TOKEN;
use tributary_standins::{Fault, GumroadConfig, GumroadStandIn};

fn standin() -> GumroadStandIn {
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let at = |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).unwrap().and_utc();
    GumroadStandIn::spawn(GumroadConfig::with_generated_sales(
        64,
        21,
        at(day(2025, 1, 1)),
        at(day(2025, 12, 31)),
    ))
    .unwrap()
}

fn tributary(data: &Path, standin: &GumroadStandIn, args: &[&str], stdin: Option<&str>) -> Output {
    with_input(
        common::tributary(data)
            .args(args)
            .env("TRIBUTARY_GUMROAD_BASE_URL", standin.base_url())
            .env("TRIBUTARY_SECRET_STORE", "file")
            .env("TRIBUTARY_CONFIG_DIR", data.with_file_name("config")),
        stdin,
    )
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every file under `dir` holds no `secret`, whatever its kind.
fn nowhere_in(dir: &Path, secret: &str) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            nowhere_in(&path, secret);
        } else {
            let bytes = std::fs::read(&path).unwrap();
            let found = bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
            assert!(!found, "the token is in {}", path.display());
        }
    }
}

fn usd_report(data: &Path, s: &GumroadStandIn) -> Value {
    let v = json(&tributary(data, s, &["report", "--json"], None));
    v["totals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["currency"] == "USD")
        .cloned()
        .unwrap_or(Value::Null)
}

#[test]
fn connect_sync_resume_and_reconnect_from_the_command_line() {
    let s = standin();
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");

    // A wrong token: refused at once, nothing stored.
    let out = tributary(
        &data,
        &s,
        &["connect", "gumroad", "--token-stdin"],
        Some("wrong-token-77\n"),
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("Gumroad refused this token (401)"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("wrong-token-77"));
    let none = json(&tributary(&data, &s, &["connections", "--json"], None));
    assert_eq!(none["connections"].as_array().unwrap().len(), 0);
    // No token on the command line.
    let out = tributary(&data, &s, &["connect", "gumroad"], None);
    assert!(stderr(&out).contains("--token-stdin"), "{}", stderr(&out));

    let v = json(&tributary(
        &data,
        &s,
        &["connect", "gumroad", "--token-stdin", "--json"],
        Some(&format!("{DEFAULT_TOKEN}\n")),
    ));
    assert_eq!(v["connection"]["name"], "gumroad");
    assert_eq!(v["connection"]["remote_name"], "creator@example.com");

    // The dry run writes nothing; the sync brings exactly the stand-in's totals.
    let dry = json(&tributary(
        &data,
        &s,
        &["sync", "gumroad", "--dry-run", "--json"],
        None,
    ));
    assert!(dry["syncs"][0]["inserted"].as_u64().unwrap() > 64);
    assert_eq!(usd_report(&data, &s), Value::Null);
    let expected = s.expected_totals()["USD"].clone();
    let v = json(&tributary(&data, &s, &["sync", "gumroad", "--json"], None));
    let run = &v["syncs"][0];
    assert!(run["failure"].is_null(), "{run}");
    assert_eq!(run["pages"], 7);
    assert_eq!(run["added"], dry["syncs"][0]["added"]);
    assert_eq!(run["inserted"], dry["syncs"][0]["inserted"]);
    let usd = usd_report(&data, &s);
    assert_eq!(usd["sales_minor"], expected.price_cents);
    assert_eq!(usd["fees_minor"], expected.gumroad_fee_cents);
    assert_eq!(usd["chargebacks_minor"], expected.chargeback_cents);
    // The generated partial refunds in other currencies round to a cent here.
    let refunds = usd["refunds_minor"].as_i64().unwrap();
    let exact = expected.refunded_cents + expected.partial_refunded_cents_other_currency;
    assert!(
        (refunds - exact).abs() <= 4 * expected.partial_refunds_other_currency as i64,
        "{refunds} vs {exact}"
    );
    // The token is in the secret store, in the configuration folder, and nowhere in the data folder
    // (which gets backed up and shared).
    nowhere_in(&data, DEFAULT_TOKEN);
    assert!(data.with_file_name("config").join("secrets").is_dir());

    // Again: the look-back only, nothing new.
    let again = json(&tributary(&data, &s, &["sync", "gumroad", "--json"], None));
    assert_eq!(again["syncs"][0]["inserted"], 0);
    assert!(again["syncs"][0]["pages"].as_u64().unwrap() < 7);

    // A 503 streak past the retries after the first page of a full sync: the page before is kept,
    // the sync fails naming the page, and the next one goes on from there.
    s.set_fault(
        Fault::server_error(503)
            .on_path("/v2/sales")
            .after(1)
            .times(5),
    );
    let out = tributary(&data, &s, &["sync", "gumroad", "--full", "--json"], None);
    assert!(!out.status.success());
    let failed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(failed["syncs"][0]["failure"]["class"], "transient");
    assert_eq!(
        failed["syncs"][0]["failure"]["code"],
        "platform_unreachable"
    );
    assert!(failed["syncs"][0]["failure"]["message"]
        .as_str()
        .unwrap()
        .contains("sales page 2"));
    assert_eq!(failed["syncs"][0]["pages"], 1);
    let resumed = json(&tributary(&data, &s, &["sync", "gumroad", "--json"], None));
    assert!(resumed["syncs"][0]["failure"].is_null());
    assert_eq!(resumed["syncs"][0]["pages"], 6);
    assert_eq!(usd_report(&data, &s)["sales_minor"], expected.price_cents);

    // A revoked token: the sync says so and the connection needs reconnecting; reconnecting keeps it.
    s.revoke_token(DEFAULT_TOKEN);
    let out = tributary(&data, &s, &["sync", "gumroad"], None);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("refused this token (401)"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("reconnect"), "{}", stderr(&out));
    let listed = json(&tributary(&data, &s, &["connections", "--json"], None));
    assert_eq!(listed["connections"][0]["state"], "needs_reconnect");
    s.add_token("new-token-2", &["view_sales", "view_profile"]);
    let v = json(&tributary(
        &data,
        &s,
        &["connect", "gumroad", "--token-stdin", "--json"],
        Some("new-token-2"),
    ));
    assert_eq!(v["reconnected"], true);
    assert_eq!(v["connection"]["name"], "gumroad");
    let after = json(&tributary(&data, &s, &["sync", "gumroad", "--json"], None));
    assert_eq!(after["syncs"][0]["inserted"], 0);

    // Undo the first run: every row it brought was delivered again by the runs after it, so all stay.
    let runs = json(&tributary(
        &data,
        &s,
        &["sync", "runs", "gumroad", "--json"],
        None,
    ));
    let first = runs["runs"].as_array().unwrap().last().unwrap()["id"]
        .as_i64()
        .unwrap();
    let undo = json(&tributary(
        &data,
        &s,
        &["sync", "undo", &first.to_string(), "--json"],
        None,
    ));
    assert_eq!(undo["removed"], 0);
    assert!(undo["kept"].as_u64().unwrap() > 0);
    assert_eq!(usd_report(&data, &s)["sales_minor"], expected.price_cents);
    // A run that alone brought a sale: undoing it takes the sale out.
    let newest = s.sales().iter().map(|x| x.created_at).max().unwrap();
    s.add_sales([tributary_standins::StandInSale::new(
        newest + chrono::Duration::hours(1),
        "Late Sale",
        1234,
    )])
    .unwrap();
    let late = json(&tributary(&data, &s, &["sync", "gumroad", "--json"], None));
    assert_eq!(late["syncs"][0]["inserted"], 1);
    let run = late["syncs"][0]["run_id"].as_i64().unwrap();
    let undo = json(&tributary(
        &data,
        &s,
        &["sync", "undo", &run.to_string(), "--json"],
        None,
    ));
    assert_eq!(undo["removed"], 1);
    assert_eq!(undo["changed"][0]["sales_minor"], -1234);
    assert_eq!(usd_report(&data, &s)["sales_minor"], expected.price_cents);

    // Disconnect: the secret goes, the history stays, a sync is refused in words.
    json(&tributary(
        &data,
        &s,
        &["disconnect", "gumroad", "--json"],
        None,
    ));
    let secrets = data.with_file_name("config").join("secrets");
    assert_eq!(std::fs::read_dir(secrets).unwrap().count(), 0);
    let out = tributary(&data, &s, &["sync", "gumroad"], None);
    assert!(
        stderr(&out).contains("needs reconnecting"),
        "{}",
        stderr(&out)
    );
    assert_eq!(usd_report(&data, &s)["sales_minor"], expected.price_cents);
}
