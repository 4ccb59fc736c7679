//! The desktop alerts (what the app and the tray process notify) through the Lemon Squeezy stand-in's
//! fault switches, synced by the `tributary` binary: a first look tells nothing; a scheduled sync's
//! new sales are summed once (and only seen, not told, while the window is open); one 503 run is not
//! "failing", the second in a row is, told once however often and by however many processes it is
//! looked at (the race itself: `ledger/tests/alert_marks.rs`); the tenth pauses it and says so; a
//! success after trouble is "syncs again"; a revoked key is "needs reconnecting", and reconnecting
//! is not "failing" before the next sync says "syncs again"; a key two weeks from expiring is told
//! once, and renewing it in time is not news.

mod common;

use common::{json_of as json, with_input};
use std::path::Path;
use std::process::Output;
use tributary_engine::{Alert, AlertKind, Currency, Money, UtcInstant, Workspace, DESKTOP_ALERTS};
use tributary_standins::lemonsqueezy::{StandInOrder, DEFAULT_KEY};
use tributary_standins::{Fault, LemonSqueezyStandIn};

fn tributary(data: &Path, s: &LemonSqueezyStandIn, args: &[&str]) -> Output {
    with_input(common::tributary_on_lemonsqueezy(data, s).args(args), None)
}

fn sync(data: &Path, s: &LemonSqueezyStandIn) -> bool {
    tributary(data, s, &["sync", "lemonsqueezy"])
        .status
        .success()
}

fn take(w: &mut Workspace, with_sales: bool) -> Vec<Alert> {
    w.take_alerts(DESKTOP_ALERTS, UtcInstant::now(), with_sales)
        .expect("alerts read")
}

fn kinds(alerts: &[Alert]) -> Vec<AlertKind> {
    alerts.iter().map(|a| a.kind).collect()
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

/// The report's totals: (events, the sales per currency as an alert writes them).
fn report_sales(data: &Path, s: &LemonSqueezyStandIn) -> (i64, String) {
    let v = json(&tributary(data, s, &["report", "--json"]));
    let totals = v["totals"].as_array().expect("report totals").clone();
    let mut events = 0;
    let mut amounts = Vec::new();
    for t in &totals {
        events += t["events"].as_i64().expect("events");
        let minor = t["sales_minor"].as_i64().expect("sales");
        let code = t["currency"].as_str().expect("a currency");
        if minor > 0 {
            let money = Money::from_minor(minor, Currency::from_code(code).expect("ISO"));
            amounts.push(money.to_string());
        }
    }
    let said = match amounts.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, init)) => format!("{} and {last}", init.join(", ")),
        None => String::new(),
    };
    (events, said)
}

#[test]
fn transitions_are_told_once_in_words() {
    let (s, _tmp, data) = common::connected_lemonsqueezy(60, 11);
    let mut app = Workspace::open(&data).unwrap();
    let mut tray = Workspace::open(&data).unwrap();
    assert_eq!(take(&mut tray, true), [], "a first look finds nothing new");

    // A scheduled sync while the window is closed: one summary of its sales.
    assert!(tributary(&data, &s, &["daemon", "--once"]).status.success());
    let alerts = take(&mut tray, true);
    assert_eq!(kinds(&alerts), [AlertKind::NewSales], "{alerts:?}");
    assert_eq!(alerts[0].title, "New sales while Tributary was closed");
    let (events, sales) = report_sales(&data, &s);
    assert!(events > 0);
    assert_eq!(alerts[0].body, format!("{sales} from Lemon Squeezy"));
    assert_eq!(take(&mut tray, true), [], "told once");
    assert_eq!(take(&mut app, true), [], "and not by the other process");

    // With the window open the sales are seen, not told.
    s.add_orders([StandInOrder::new(chrono::Utc::now(), "Zine", 1_500)])
        .unwrap();
    assert!(sync(&data, &s));
    assert_eq!(report_sales(&data, &s).0, events + 1, "a new sale came in");
    assert_eq!(take(&mut app, false), []);
    assert_eq!(take(&mut tray, true), [], "the window saw them");

    // A 503 streak: the first failed run retries itself; the second in a row is "failing".
    s.set_fault(Fault::server_error(503).forever());
    assert!(!sync(&data, &s));
    assert_eq!(take(&mut app, false), [], "one failure is not told");
    assert!(!sync(&data, &s));
    let alerts = take(&mut app, false);
    assert_eq!(kinds(&alerts), [AlertKind::Failing], "{alerts:?}");
    assert_eq!(alerts[0].title, "Lemon Squeezy is failing to sync");
    assert!(
        alerts[0]
            .body
            .starts_with("Lemon Squeezy failed 2 times in a row: ")
            && alerts[0]
                .body
                .ends_with("it is retried on its own, or retry now."),
        "{}",
        alerts[0].body
    );
    assert_eq!(alerts[0].connection.as_deref(), Some("lemonsqueezy"));
    assert!(!sync(&data, &s));
    assert_eq!(take(&mut tray, true), [], "told by the app already");
    assert_eq!(take(&mut app, true), [], "still failing: nothing new");

    // Failures up to the tenth, in the scheduler: it pauses itself.
    s.clear_faults();
    s.set_fault(Fault::html_page().forever());
    for _ in 4..=9 {
        assert!(!sync(&data, &s));
    }
    two_hours_pass(&data);
    tributary(&data, &s, &["daemon", "--once"]);
    let alerts = take(&mut tray, true);
    assert_eq!(kinds(&alerts), [AlertKind::PausedItself], "{alerts:?}");
    assert_eq!(alerts[0].title, "Lemon Squeezy paused itself");
    assert!(
        alerts[0].body.contains("after 10 failed syncs in a row"),
        "{}",
        alerts[0].body
    );

    // Fixed and resumed by the person: it syncs again, and says so once.
    s.clear_faults();
    assert!(
        tributary(&data, &s, &["connections", "resume", "lemonsqueezy"])
            .status
            .success()
    );
    assert!(sync(&data, &s));
    let alerts = take(&mut app, false);
    assert_eq!(kinds(&alerts), [AlertKind::Recovered], "{alerts:?}");
    assert_eq!(alerts[0].title, "Lemon Squeezy syncs again");
    assert_eq!(take(&mut tray, true), []);

    // A revoked key needs the person at once: no second failure waited for.
    assert!(s.revoke_key(DEFAULT_KEY));
    assert!(!sync(&data, &s));
    let alerts = take(&mut tray, true);
    assert_eq!(kinds(&alerts), [AlertKind::NeedsReconnect], "{alerts:?}");
    assert_eq!(alerts[0].title, "Lemon Squeezy needs reconnecting");
    let body = &alerts[0].body;
    assert!(
        !body.contains("needs reconnecting")
            && body.ends_with(". Reconnect it under Integrations; its history is kept."),
        "the body says why, not the title again: {body}"
    );
    let reason = json(&tributary(&data, &s, &["connections", "--json"]))["connections"][0]
        ["state_reason"]
        .as_str()
        .expect("a reason")
        .trim_end_matches('.')
        .to_lowercase();
    assert!(
        body.to_lowercase().starts_with(&reason),
        "{body} / {reason}"
    );
    assert_eq!(take(&mut app, false), []);

    // Reconnected with a new key: the failure from before is not news; the next sync is.
    s.add_key("a-new-key");
    let out = with_input(
        common::tributary_on_lemonsqueezy(&data, &s).args([
            "connect",
            "lemonsqueezy",
            "--token-stdin",
        ]),
        Some("a-new-key\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(take(&mut app, false), [], "reconnected, not yet synced");
    assert!(sync(&data, &s));
    let alerts = take(&mut app, false);
    assert_eq!(kinds(&alerts), [AlertKind::Recovered], "{alerts:?}");
}

/// Two weeks before a pasted key expires, "its API key expires soon" is told once; a new key in time
/// tells nothing more (it never stopped syncing).
#[test]
fn a_key_about_to_expire_is_told_once_and_a_new_one_in_time_is_not_news() {
    let (s, _tmp, data) = common::connected_lemonsqueezy(20, 5);
    let mut app = Workspace::open(&data).unwrap();
    assert!(sync(&data, &s));
    assert_eq!(take(&mut app, false), [], "a first look tells nothing");

    let conn = rusqlite::Connection::open(data.join("ledger.sqlite3")).unwrap();
    let soon = chrono::Utc::now() + chrono::Duration::days(10);
    conn.execute(
        "UPDATE connections SET credential_expires_at = ?1",
        [soon.timestamp_millis()],
    )
    .unwrap();
    let told = take(&mut app, false);
    assert_eq!(kinds(&told), [AlertKind::KeyExpiring], "{told:?}");
    assert_eq!(told[0].title, "Lemon Squeezy's API key expires soon");
    assert!(
        told[0]
            .body
            .contains(&format!("expires by {}", soon.format("%Y-%m-%d"))),
        "{told:?}"
    );
    assert_eq!(take(&mut app, false), [], "told once");

    s.add_key("ls_renewed_key");
    let out = with_input(
        common::tributary_on_lemonsqueezy(&data, &s).args([
            "connect",
            "lemonsqueezy",
            "--token-stdin",
        ]),
        Some("ls_renewed_key\n"),
    );
    assert!(out.status.success(), "{out:?}");
    assert!(sync(&data, &s));
    assert_eq!(
        take(&mut app, false),
        [],
        "a key renewed in time is not news"
    );
}
