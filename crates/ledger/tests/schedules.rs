//! Connections' schedules in the ledger: one never synced is due at once; after a run it is due again
//! an interval later (stretched by at most 10%), and once however many intervals a sleeping machine
//! missed; a pause by the person, a global pause and a connection needing a reconnect make it not due;
//! an interval outside 15 minutes to a day is refused.

use tributary_ledger::{Ledger, LedgerError, NewConnection};
use tributary_model::UtcInstant;

fn connection(remote: &str) -> NewConnection {
    NewConnection {
        name: None,
        platform: "gumroad".into(),
        account: "main".into(),
        auth_kind: "token".into(),
        remote_id: remote.into(),
        remote_name: format!("{remote}@example.com"),
        credential_expires_at: None,
        lookback_days: None,
    }
}

fn later(seconds: i64) -> UtcInstant {
    UtcInstant::from_millis(UtcInstant::now().millis() + seconds * 1000)
}

fn due_names(l: &Ledger, at: UtcInstant) -> Vec<String> {
    l.due_connections(at)
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect()
}

#[test]
fn a_connection_is_due_an_interval_after_its_last_run_and_once_after_a_long_sleep() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open(&dir.path().join("ledger.sqlite3")).unwrap();
    let id = l.connect(&connection("u1")).unwrap().connection.id;
    assert_eq!(
        due_names(&l, later(0)),
        ["gumroad"],
        "never synced: due at once"
    );
    let run = l.start_sync_run(id, false, "test", later(600)).unwrap();
    l.finish_sync_run(run.run_id, "test", &[], None).unwrap();
    assert!(
        due_names(&l, later(30 * 60)).is_empty(),
        "half an hour after: not yet (hourly)"
    );
    assert!(
        due_names(&l, later(3600 + 6 * 60 + 5)).contains(&"gumroad".to_string()),
        "at most 10% late"
    );
    // Asleep for a day: due, once.
    assert_eq!(due_names(&l, later(86_400)), ["gumroad"]);
    l.set_sync_every("gumroad", 15 * 60).unwrap();
    assert_eq!(due_names(&l, later(17 * 60)), ["gumroad"]);
    for bad in [60, 2 * 86_400] {
        assert!(matches!(
            l.set_sync_every("gumroad", bad),
            Err(LedgerError::ScheduleOutOfRange(_))
        ));
    }
}

#[test]
fn pauses_and_a_needed_reconnect_keep_a_connection_from_syncing() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open(&dir.path().join("ledger.sqlite3")).unwrap();
    l.connect(&connection("u1")).unwrap();
    let second = l.connect(&connection("u2")).unwrap().connection.id;
    assert_eq!(due_names(&l, later(0)), ["gumroad", "gumroad-2"]);
    l.set_connection_paused("gumroad", Some("person")).unwrap();
    assert_eq!(due_names(&l, later(0)), ["gumroad-2"]);
    let paused = &l.schedules().unwrap()[0];
    assert_eq!(
        (paused.paused_by.as_deref(), paused.next_at.as_ref()),
        (Some("person"), None)
    );
    l.set_syncing_paused(true).unwrap();
    assert!(l.syncing_paused().unwrap());
    assert!(due_names(&l, later(0)).is_empty(), "paused globally");
    l.set_syncing_paused(false).unwrap();
    l.set_connection_paused("gumroad", None).unwrap();
    l.set_connection_state(second, "needs_reconnect", Some("refused"))
        .unwrap();
    assert_eq!(due_names(&l, later(0)), ["gumroad"]);
    assert!(matches!(
        l.set_connection_paused("nope", None),
        Err(LedgerError::ConnectionNotFound(_))
    ));
}
