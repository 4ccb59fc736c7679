//! Connecting and syncing with the key in a real Secret Service (GNOME Keyring in a private D-Bus
//! session, unlocked: `scripts/test` runs this with `TRIBUTARY_KEYRING_TEST=1`; unset, it says it was
//! skipped and passes). The key goes to the keyring and to no file; a sync reads it from there; a
//! disconnect deletes it from the keyring. A browser sign-in's tokens likewise: in the keyring and no
//! file, renewed there in place when the platform refuses the access token, deleted on disconnect.

mod common;

use common::{json_of as json, with_input};
use std::path::Path;
use std::process::{Command, Output};
use tributary_standins::authorization::{AuthorizationConfig, DEFAULT_CLIENT_ID};
use tributary_standins::lemonsqueezy::{generate_orders, DEFAULT_KEY};
use tributary_standins::{LemonSqueezyConfig, LemonSqueezyStandIn, WhopConfig, WhopStandIn};

const MODE: &str = "TRIBUTARY_KEYRING_TEST";
/// The keyring's service for Tributary's entries (`tributary_secrets::DEFAULT_SERVICE`).
const SERVICE: &str = "app.tributary.desktop";

fn tributary(data: &Path, s: &LemonSqueezyStandIn, args: &[&str], stdin: Option<&str>) -> Output {
    with_input(
        common::tributary(data)
            .args(args)
            .env("TRIBUTARY_CONFIG_DIR", data.with_file_name("config"))
            .env("TRIBUTARY_LEMONSQUEEZY_BASE_URL", s.base_url())
            // The default store: the system keyring.
            .env_remove("TRIBUTARY_SECRET_STORE"),
        stdin,
    )
}

/// What `secret-tool search --all service …` prints of Tributary's entries (secrets included).
fn keyring_entries() -> String {
    let out = Command::new("secret-tool")
        .args(["search", "--all", "service", SERVICE])
        .output()
        .expect("secret-tool (libsecret-tools)");
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn in_any_file(dir: &Path, needle: &str) -> bool {
    std::fs::read_dir(dir).into_iter().flatten().any(|entry| {
        let path = entry.unwrap().path();
        if path.is_dir() {
            in_any_file(&path, needle)
        } else {
            let bytes = std::fs::read(&path).unwrap_or_default();
            bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
        }
    })
}

#[test]
fn a_key_in_the_real_keyring_connects_syncs_and_is_deleted_on_disconnect() {
    if std::env::var(MODE).unwrap_or_default() != "1" {
        println!("skipped: it runs with {MODE}=1 inside an unlocked keyring's D-Bus session (see scripts/test)");
        return;
    }
    let at = |y, m, d| {
        chrono::NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc()
    };
    let s = LemonSqueezyStandIn::spawn(LemonSqueezyConfig {
        orders: generate_orders(120, 9, at(2025, 1, 1), at(2025, 12, 31)),
        ..LemonSqueezyConfig::default()
    })
    .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");

    let v = json(&tributary(
        &data,
        &s,
        &["connect", "lemonsqueezy", "--token-stdin", "--json"],
        Some(&format!("{DEFAULT_KEY}\n")),
    ));
    assert_eq!(v["connection"]["state"], "active");
    assert!(
        keyring_entries().contains(DEFAULT_KEY),
        "the key is not in the keyring"
    );
    let synced = json(&tributary(
        &data,
        &s,
        &["sync", "lemonsqueezy", "--json"],
        None,
    ));
    assert!(synced["syncs"][0]["failure"].is_null(), "{synced}");
    let paid: u64 = s.expected_totals().values().map(|t| t.orders).sum();
    let sales = synced["syncs"][0]["inserted"].as_u64().unwrap();
    assert!(sales >= paid, "{sales} events for {paid} paid orders");
    // No file anywhere holds it: not the data folder, not the configuration folder.
    assert!(
        !in_any_file(tmp.path(), DEFAULT_KEY),
        "the key is in a file under {}",
        tmp.path().display()
    );

    json(&tributary(
        &data,
        &s,
        &["disconnect", "lemonsqueezy", "--json"],
        None,
    ));
    assert!(
        !keyring_entries().contains(DEFAULT_KEY),
        "the key is still in the keyring"
    );
}

#[test]
fn a_browser_sign_ins_tokens_live_in_the_real_keyring_are_renewed_there_and_deleted_on_disconnect()
{
    if std::env::var(MODE).unwrap_or_default() != "1" {
        println!("skipped: it runs with {MODE}=1 inside an unlocked keyring's D-Bus session (see scripts/test)");
        return;
    }
    let s = WhopStandIn::spawn(WhopConfig {
        oauth: Some(AuthorizationConfig::whop()),
        ..WhopConfig::default()
    })
    .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let (authorize, token) = s.oauth_urls();
    let run = |args: &[&str]| {
        with_input(
            common::tributary(&data)
                .args(args)
                .env("TRIBUTARY_CONFIG_DIR", data.with_file_name("config"))
                .env("TRIBUTARY_WHOP_BASE_URL", s.base_url())
                .env("TRIBUTARY_WHOP_AUTHORIZE_URL", &authorize)
                .env("TRIBUTARY_WHOP_TOKEN_URL", &token)
                .env("TRIBUTARY_WHOP_CLIENT_ID", DEFAULT_CLIENT_ID)
                .env("BROWSER", "curl -s -L -o /dev/null")
                .env_remove("TRIBUTARY_SECRET_STORE"),
            None,
        )
    };
    let whop_entry = || {
        keyring_entries()
            .lines()
            .filter(|l| l.contains("refresh_token"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    json(&run(&["connect", "whop", "--oauth", "--json"]));
    let signed_in = whop_entry();
    assert!(
        signed_in.contains("access_token"),
        "the sign-in is not in the keyring"
    );
    assert!(
        !in_any_file(tmp.path(), "refresh_token"),
        "the tokens are in a file"
    );

    s.oauth().unwrap().expire_access_tokens();
    let synced = json(&run(&["sync", "whop", "--json"]));
    assert!(synced["syncs"][0]["failure"].is_null(), "{synced}");
    assert_eq!(s.oauth().unwrap().counters().refreshes, 1);
    let renewed = whop_entry();
    assert!(
        !renewed.is_empty() && renewed != signed_in,
        "the renewed tokens were not saved in the keyring"
    );
    assert!(
        !in_any_file(tmp.path(), "refresh_token"),
        "the renewed tokens are in a file"
    );

    json(&run(&["disconnect", "whop", "--json"]));
    assert!(
        whop_entry().is_empty(),
        "the sign-in is still in the keyring"
    );
}
