//! Lemon Squeezy from the command line against its stand-in on 127.0.0.1: orders exported to a file
//! and imported, then the API connected and synced — and orders synced, then the same orders' file
//! imported: each order is one event whichever way it came first, the connection books under the
//! account the files are under, and the ledger ends with the stand-in's totals per currency; a later
//! sync reads back as far as `--lookback` says; a sync killed with SIGKILL leaves whole pages and the
//! next one finishes without waiting out the dead process's lease and without a duplicate.

mod common;

use common::{json_of as json, with_input};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use tributary_standins::lemonsqueezy::{generate_orders, DEFAULT_KEY};
use tributary_standins::{LemonSqueezyConfig, LemonSqueezyStandIn, StandInOrder};

fn standin() -> LemonSqueezyStandIn {
    let at = |y, m, d| {
        chrono::NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc()
    };
    LemonSqueezyStandIn::spawn(LemonSqueezyConfig {
        orders: generate_orders(160, 5, at(2025, 1, 1), at(2025, 12, 31)),
        ..LemonSqueezyConfig::default()
    })
    .unwrap()
}

/// `program` with the environment every run here gets: the data folder, the stand-in, the file
/// secret store in a configuration folder beside the data folder.
fn with_env(program: &str, data: &Path, s: &LemonSqueezyStandIn) -> Command {
    let mut command = Command::new(program);
    command
        .env("TRIBUTARY_DATA_DIR", data)
        .env("TRIBUTARY_LEMONSQUEEZY_BASE_URL", s.base_url())
        .env("TRIBUTARY_SECRET_STORE", "file")
        .env("TRIBUTARY_CONFIG_DIR", data.with_file_name("config"))
        .env("TZ", "UTC");
    command
}

fn tributary(data: &Path, s: &LemonSqueezyStandIn, args: &[&str], stdin: Option<&str>) -> Output {
    with_input(
        with_env(env!("CARGO_BIN_EXE_tributary"), data, s).args(args),
        stdin,
    )
}

/// The orders export as the `lemonsqueezy-orders` preset reads it: the API's attribute names and
/// values, money in the order currency's minor units.
fn export(orders: &[StandInOrder], path: &Path) {
    let time = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record([
        "identifier",
        "order_number",
        "user_email",
        "currency",
        "status",
        "total",
        "refunded",
        "refunded_amount",
        "refunded_at",
        "product_id",
        "product_name",
        "created_at",
    ])
    .unwrap();
    for o in orders {
        w.write_record([
            o.identifier.clone(),
            o.order_number.to_string(),
            o.user_email.clone(),
            o.currency.clone(),
            o.status().to_string(),
            o.total().to_string(),
            o.is_refunded().to_string(),
            o.refunded_amount.to_string(),
            o.refunded_at.map(time).unwrap_or_default(),
            o.product_id.to_string(),
            o.product_name.clone(),
            time(o.created_at),
        ])
        .unwrap();
    }
    w.flush().unwrap();
}

/// Per currency: (sales, refunds) in minor units, from `tributary report --json`.
fn report(data: &Path, s: &LemonSqueezyStandIn) -> Vec<(String, i64, i64)> {
    let v = json(&tributary(data, s, &["report", "--json"], None));
    let mut out: Vec<(String, i64, i64)> = v["totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["currency"].as_str().unwrap().to_string(),
                t["sales_minor"].as_i64().unwrap(),
                -t["refunds_minor"].as_i64().unwrap().abs(),
            )
        })
        .collect();
    out.sort();
    out
}

fn expected(s: &LemonSqueezyStandIn) -> Vec<(String, i64, i64)> {
    s.expected_totals()
        .into_iter()
        .map(|(c, t)| (c, t.total, -t.refunded_amount))
        .collect()
}

fn connect_and_sync(data: &Path, s: &LemonSqueezyStandIn) -> Value {
    let connected = json(&tributary(
        data,
        s,
        &["connect", "lemonsqueezy", "--token-stdin", "--json"],
        Some(&format!("{DEFAULT_KEY}\n")),
    ));
    assert_eq!(
        connected["connection"]["remote_name"],
        "creator@standin.example"
    );
    let v = json(&tributary(
        data,
        s,
        &["sync", "lemonsqueezy", "--json"],
        None,
    ));
    assert!(v["syncs"][0]["failure"].is_null(), "{v}");
    v
}

#[test]
fn an_order_from_the_export_and_from_the_api_is_one_event_either_way() {
    let s = standin();
    let tmp = tempfile::tempdir().unwrap();
    // Newest first, as the API lists them: the older half goes in the file.
    let orders = s.orders();
    let (newer, older) = orders.split_at(orders.len() / 2);

    // File first: the older orders, under the preset's account, which the connection adopts.
    let data = tmp.path().join("file-first");
    let file = tmp.path().join("orders-older.csv");
    export(older, &file);
    let imported = json(&tributary(
        &data,
        &s,
        &["import", file.to_str().unwrap(), "--json"],
        None,
    ));
    let batch = &imported["files"][0];
    assert_eq!(batch["format"], "lemonsqueezy-orders", "{batch}");
    assert_eq!(batch["rejected"], 0, "{batch}");
    let from_file = batch["inserted"].as_u64().unwrap();
    assert!(from_file > 0);
    let synced = connect_and_sync(&data, &s);
    let run = &synced["syncs"][0];
    assert_eq!(run["duplicates"].as_u64().unwrap(), from_file, "{run}");
    assert_eq!(report(&data, &s), expected(&s));
    let listed = json(&tributary(&data, &s, &["connections", "--json"], None));
    assert_eq!(listed["connections"][0]["account"], "main");

    // API first: everything synced, then the newer orders' file adds nothing.
    let data = tmp.path().join("api-first");
    let synced = connect_and_sync(&data, &s);
    assert_eq!(synced["syncs"][0]["pages"], 2);
    // A later sync reads back 30 days by default (one page of a year's 160 orders); --lookback longer
    // for one sync.
    let pages =
        |args: &[&str]| json(&tributary(&data, &s, args, None))["syncs"][0]["pages"].clone();
    assert_eq!(pages(&["sync", "lemonsqueezy", "--json"]), 1);
    assert_eq!(
        pages(&["sync", "lemonsqueezy", "--lookback", "400", "--json"]),
        2
    );
    let out = tributary(
        &data,
        &s,
        &["sync", "lemonsqueezy", "--lookback", "-3"],
        None,
    );
    assert!(!out.status.success());
    // The connection's own look-back, set when it connects (again): every later sync reads that far.
    let listed = json(&tributary(&data, &s, &["connections", "--json"], None));
    assert_eq!(listed["connections"][0]["lookback_days"], 30);
    json(&tributary(
        &data,
        &s,
        &[
            "connect",
            "lemonsqueezy",
            "--token-stdin",
            "--lookback",
            "400",
            "--json",
        ],
        Some(&format!("{DEFAULT_KEY}\n")),
    ));
    let listed = json(&tributary(&data, &s, &["connections", "--json"], None));
    assert_eq!(listed["connections"][0]["lookback_days"], 400);
    assert_eq!(pages(&["sync", "lemonsqueezy", "--json"]), 2);
    assert_eq!(
        pages(&["sync", "lemonsqueezy", "--lookback", "0", "--json"]),
        1
    );

    // Renamed, the connection keeps its position, look-back and key; the old name is gone.
    let renamed = json(&tributary(
        &data,
        &s,
        &["connections", "rename", "lemonsqueezy", "shop", "--json"],
        None,
    ));
    assert_eq!(renamed["connection"]["name"], "shop");
    assert_eq!(renamed["connection"]["lookback_days"], 400);
    assert_eq!(pages(&["sync", "shop", "--lookback", "0", "--json"]), 1);
    let out = tributary(&data, &s, &["sync", "lemonsqueezy"], None);
    assert!(!out.status.success());
    for bad in ["my shop", "123"] {
        let out = tributary(&data, &s, &["connections", "rename", "shop", bad], None);
        assert!(!out.status.success(), "{bad} was taken as a name");
    }
    let file = tmp.path().join("orders-newer.csv");
    export(newer, &file);
    let imported = json(&tributary(
        &data,
        &s,
        &["import", file.to_str().unwrap(), "--json"],
        None,
    ));
    let batch = &imported["files"][0];
    assert_eq!(batch["inserted"], 0, "{batch}");
    assert_eq!(batch["updated"], 0, "{batch}");
    assert!(batch["duplicates"].as_u64().unwrap() > 0, "{batch}");
    assert_eq!(report(&data, &s), expected(&s));
}

#[test]
fn a_sync_killed_mid_run_keeps_whole_pages_and_the_next_finishes_without_duplicates() {
    let s = standin();
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    json(&tributary(
        &data,
        &s,
        &["connect", "lemonsqueezy", "--token-stdin", "--json"],
        Some(&format!("{DEFAULT_KEY}\n")),
    ));
    // Slow pages, so that the kill lands while the second page is being asked for or written.
    s.set_latency(std::time::Duration::from_millis(300));
    s.clear_requests();
    let mut child = with_env(env!("CARGO_BIN_EXE_tributary"), &data, &s)
        .args(["sync", "lemonsqueezy"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while s.requests().len() < 2 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the sync ended before it could be killed"
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "the sync never asked twice"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    s.set_latency(std::time::Duration::ZERO);

    let conn = rusqlite::Connection::open(data.join("ledger.sqlite3")).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    // Whole pages only: the first page's events (its cursor with them), or none.
    let events: i64 = conn
        .query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
        .unwrap();
    let page_one: i64 = conn
        .query_row(
            "SELECT COALESCE(SUM(inserted), 0) FROM sync_runs",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        events, page_one,
        "events {events}, recorded by whole pages {page_one}"
    );
    drop(conn);

    // The next sync does not wait out the dead process's lease, goes on from the last whole page,
    // and the ledger ends with each order once.
    let v = json(&tributary(
        &data,
        &s,
        &["sync", "lemonsqueezy", "--json"],
        None,
    ));
    assert!(v["syncs"][0]["failure"].is_null(), "{v}");
    assert_eq!(report(&data, &s), expected(&s));
    let runs = json(&tributary(
        &data,
        &s,
        &["sync", "runs", "lemonsqueezy", "--json"],
        None,
    ));
    let statuses: Vec<&str> = runs["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["succeeded", "interrupted"], "{runs}");
}

/// On a terminal (a pseudo-terminal from `script`) a sync rewrites a progress line on stderr after
/// each page; into a pipe it writes none.
#[test]
fn a_sync_on_a_terminal_shows_its_progress_and_into_a_pipe_does_not() {
    let s = standin();
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    json(&tributary(
        &data,
        &s,
        &["connect", "lemonsqueezy", "--token-stdin", "--json"],
        Some(&format!("{DEFAULT_KEY}\n")),
    ));
    let piped = tributary(&data, &s, &["sync", "lemonsqueezy", "--full"], None);
    assert!(piped.status.success());
    assert!(!String::from_utf8_lossy(&piped.stderr).contains("events ("));

    let command = format!(
        "{} sync lemonsqueezy --full",
        env!("CARGO_BIN_EXE_tributary")
    );
    let out = with_env("script", &data, &s)
        .args(["-qec", &command, "/dev/null"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains("lemonsqueezy: 1 pages, "), "{shown}");
    assert!(shown.contains(" events (orders page 1)"), "{shown}");
    assert!(shown.contains("lemonsqueezy: 2 pages, "), "{shown}");
    assert!(shown.contains(" events (orders page 2)"), "{shown}");
}

#[test]
fn a_connection_asks_which_account_when_the_files_are_under_several() {
    let s = standin();
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let file = tmp.path().join("orders.csv");
    export(&s.orders()[..10], &file);
    // The same file under a second account, through a mapping copied from the preset.
    json(&tributary(
        &data,
        &s,
        &["import", file.to_str().unwrap(), "--json"],
        None,
    ));
    let preset = include_str!("../../imports/presets/lemonsqueezy-orders.toml").replace(
        "name = \"lemonsqueezy-orders\"",
        "name = \"ls-shop-2\"\naccount = \"shop-2\"",
    );
    let mapping = tmp.path().join("shop-2.toml");
    std::fs::write(&mapping, preset).unwrap();
    json(&tributary(
        &data,
        &s,
        &[
            "import",
            file.to_str().unwrap(),
            "--map",
            mapping.to_str().unwrap(),
            "--json",
        ],
        None,
    ));

    let out = tributary(
        &data,
        &s,
        &["connect", "lemonsqueezy", "--token-stdin"],
        Some(&format!("{DEFAULT_KEY}\n")),
    );
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("main, shop-2") && said.contains("--account"),
        "{said}"
    );
    let listed = json(&tributary(&data, &s, &["connections", "--json"], None));
    assert_eq!(listed["connections"].as_array().unwrap().len(), 0);

    let v = json(&tributary(
        &data,
        &s,
        &[
            "connect",
            "lemonsqueezy",
            "--token-stdin",
            "--account",
            "shop-2",
            "--json",
        ],
        Some(&format!("{DEFAULT_KEY}\n")),
    ));
    assert_eq!(v["connection"]["account"], "shop-2");
}
