//! Alert marks between two processes on one ledger: both read the same mark, one moves it and tells,
//! the other's move fails (so it does not tell the same news twice); channels keep their own marks;
//! the sales after a mark are the finished runs' since, per platform and currency.

use tributary_ledger::{Ledger, NewConnection};
use tributary_model::UtcInstant;

fn open(dir: &std::path::Path) -> Ledger {
    Ledger::open(&dir.join("ledger.sqlite3")).unwrap()
}

#[test]
fn of_two_tellers_reading_the_same_mark_one_moves_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, mut tray) = (open(dir.path()), open(dir.path()));
    let now = UtcInstant::now();
    assert!(app.alert_marks("desktop").unwrap().is_empty());
    assert!(tray.alert_marks("desktop").unwrap().is_empty());
    // Both saw no mark for connection 1, and both see it failing now.
    assert!(app
        .move_alert_mark("desktop", "connection:1", None, "failing", now)
        .unwrap());
    assert!(!tray
        .move_alert_mark("desktop", "connection:1", None, "failing", now)
        .unwrap());
    let marks = tray.alert_marks("desktop").unwrap();
    assert_eq!(
        marks.get("connection:1").map(String::as_str),
        Some("failing")
    );
    // From the value read, the next move goes through; from a stale one it does not.
    assert!(tray
        .move_alert_mark("desktop", "connection:1", Some("failing"), "ok", now)
        .unwrap());
    assert!(!app
        .move_alert_mark("desktop", "connection:1", Some("failing"), "ok", now)
        .unwrap());
    // Another channel (email) has marks of its own.
    assert!(app
        .move_alert_mark("email", "connection:1", None, "failing", now)
        .unwrap());
    assert_eq!(
        app.alert_marks("desktop")
            .unwrap()
            .get("connection:1")
            .map(String::as_str),
        Some("ok")
    );
}

#[test]
fn no_runs_no_sales() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = open(dir.path());
    l.connect(&NewConnection {
        name: None,
        platform: "gumroad".into(),
        account: "main".into(),
        auth_kind: "token".into(),
        remote_id: "u1".into(),
        remote_name: "u1@example.com".into(),
        credential_expires_at: None,
        lookback_days: None,
    })
    .unwrap();
    let sales = l.sales_after_run(None).unwrap();
    assert_eq!(sales.last_run, None);
    assert!(sales.by_platform.is_empty());
}
