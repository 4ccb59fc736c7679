//! Connections and sync runs on a real ledger file: a connection made and remade, pages committed one
//! transaction each with the cursor, a page dropped half-written leaving nothing, the lease that keeps a
//! second process out, a failure's class, a dry run that writes nothing, and undo.

use tributary_ledger::{
    BatchEnd, BatchStart, Ledger, LedgerError, NewConnection, ReportQuery, RequestRow, RunFailure,
};
use tributary_model::{Currency, EventKind, FailureClass, NewEvent, UtcInstant};

fn sale(id: &str, gross: i64) -> NewEvent {
    NewEvent {
        platform: "gumroad".into(),
        account: "main".into(),
        external_id: id.into(),
        kind: EventKind::Sale,
        occurred_at: UtcInstant::parse_rfc3339("2025-03-05T19:38:56Z").unwrap(),
        product_id: None,
        product_name: Some("Brushes".into()),
        quantity: 1,
        currency: Currency::from_code("USD").unwrap(),
        gross_minor: gross,
        fees_minor: 100,
        net_minor: gross - 100,
        buyer_email: None,
        country: None,
        raw: None,
        source_line: None,
        settlement: None,
    }
}

fn gumroad(remote: &str) -> NewConnection {
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

fn request() -> RequestRow {
    RequestRow {
        method: "GET".into(),
        target: "/v2/sales?page_key=x".into(),
        status: Some(200),
        duration_ms: 12,
        retries: 1,
    }
}

fn usd(ledger: &Ledger) -> (i64, i64) {
    let report = ledger.report(&ReportQuery::default()).unwrap();
    report
        .totals
        .iter()
        .find(|f| f.currency == "USD")
        .map_or((0, 0), |f| (f.sales_minor, f.events))
}

#[test]
fn a_connection_gets_a_free_name_and_a_reconnect_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(&dir.path().join("ledger.sqlite3")).unwrap();
    let first = ledger.connect(&gumroad("u1")).unwrap();
    assert_eq!(first.connection.name, "gumroad");
    assert!(!first.reconnected);
    let second = ledger.connect(&gumroad("u2")).unwrap();
    assert_eq!(second.connection.name, "gumroad-2");
    let id = first.connection.id;
    ledger
        .set_connection_state(
            id,
            "needs_reconnect",
            Some("Gumroad refused this token (401)"),
        )
        .unwrap();
    assert_eq!(
        ledger.find_connection("gumroad").unwrap().state,
        "needs_reconnect"
    );
    let again = ledger.connect(&gumroad("u1")).unwrap();
    assert!(again.reconnected);
    assert_eq!(
        (again.connection.id, again.connection.state.as_str()),
        (id, "active")
    );
    assert_eq!(again.connection.state_reason, None);
    assert_eq!(
        ledger.find_connection(&id.to_string()).unwrap().name,
        "gumroad"
    );

    let named = NewConnection {
        name: Some("gumroad-2".into()),
        ..gumroad("u3")
    };
    assert!(
        matches!(ledger.connect(&named), Err(LedgerError::ConnectionNameTaken(n)) if n == "gumroad-2")
    );
    let bad = NewConnection {
        name: Some("my store".into()),
        ..gumroad("u3")
    };
    assert!(matches!(
        ledger.connect(&bad),
        Err(LedgerError::BadConnectionName(_))
    ));
    assert!(matches!(
        ledger.find_connection("nope"),
        Err(LedgerError::ConnectionNotFound(_))
    ));
    assert_eq!(ledger.connections().unwrap().len(), 2);
}

#[test]
fn pages_commit_with_their_cursor_and_a_dropped_page_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(&dir.path().join("ledger.sqlite3")).unwrap();
    let id = ledger.connect(&gumroad("u1")).unwrap().connection.id;
    let start = ledger
        .start_sync_run(id, false, "test 1", later(60))
        .unwrap();
    assert_eq!(start.cursor, None);

    let mut page = ledger.begin_sync_page(start.run_id, "syncing").unwrap();
    page.write(&sale("a", 1000)).unwrap();
    page.write(&sale("b", 2000)).unwrap();
    page.commit("{\"page\":2}", &[request()], later(60))
        .unwrap();

    // A page that dies before its commit (a crash, a failed request) leaves the ledger as it was.
    let mut page = ledger.begin_sync_page(start.run_id, "syncing").unwrap();
    page.write(&sale("c", 4000)).unwrap();
    drop(page);
    assert_eq!(usd(&ledger), (3000, 2));

    let failure = RunFailure {
        class: FailureClass::Transient,
        request: Some("GET /v2/sales (sales page 2)".into()),
        message: "the server answered 503".into(),
        retry_after_ms: None,
    };
    let run = ledger
        .finish_sync_run(start.run_id, "test 1", &[request()], Some(&failure))
        .unwrap();
    assert_eq!(run.status, "failed");
    assert_eq!(run.error_class, Some(FailureClass::Transient));
    assert_eq!(
        (run.pages, run.inserted, run.requests, run.retries),
        (1, 2, 2, 2)
    );
    assert_eq!(run.added.len(), 1);
    assert_eq!((run.added[0].sales_minor, run.added[0].events), (3000, 2));
    assert!(run.added[0].reconciles());
    assert_eq!(ledger.sync_requests(run.id).unwrap().len(), 2);
    // A transient failure leaves the connection active; the next run starts at the saved page.
    assert_eq!(ledger.find_connection("gumroad").unwrap().state, "active");
    let next = ledger
        .start_sync_run(id, false, "test 1", later(60))
        .unwrap();
    assert_eq!(next.cursor.as_deref(), Some("{\"page\":2}"));
    let full = ledger
        .finish_sync_run(next.run_id, "test 1", &[], None)
        .unwrap();
    assert_eq!(full.status, "succeeded");
    assert!(ledger
        .find_connection("gumroad")
        .unwrap()
        .last_success_at
        .is_some());
    let from_scratch = ledger
        .start_sync_run(id, true, "test 1", later(60))
        .unwrap();
    assert_eq!(from_scratch.cursor, None);
}

#[test]
fn a_second_process_is_refused_while_the_lease_holds_and_finds_an_interrupted_run_after() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite3");
    let mut one = Ledger::open(&path).unwrap();
    let mut two = Ledger::open(&path).unwrap();
    let id = one.connect(&gumroad("u1")).unwrap().connection.id;
    let run = one
        .start_sync_run(id, false, "process 1", later(60))
        .unwrap();
    match two.start_sync_run(id, false, "process 2", later(60)) {
        Err(LedgerError::ConnectionBusy { holder, .. }) => assert_eq!(holder, "process 1"),
        other => panic!("{other:?}"),
    }
    // Process 1 dies: its lease expires (here: one taken already expired) and the run is interrupted.
    let expired = UtcInstant::from_millis(UtcInstant::now().millis() - 1);
    let mut page = one.begin_sync_page(run.run_id, "syncing").unwrap();
    page.write(&sale("a", 1000)).unwrap();
    page.commit("{}", &[], expired).unwrap();
    let taken = two
        .start_sync_run(id, false, "process 2", later(60))
        .unwrap();
    assert_eq!(taken.interrupted, 1);
    assert_eq!(
        two.sync_run(run.run_id).unwrap().unwrap().status,
        "interrupted"
    );
    // The interrupted run's whole pages stay.
    assert_eq!(usd(&two), (1000, 1));
}

#[test]
fn a_refused_credential_needs_a_reconnect_and_a_disconnected_connection_does_not_sync() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(&dir.path().join("ledger.sqlite3")).unwrap();
    let id = ledger.connect(&gumroad("u1")).unwrap().connection.id;
    let run = ledger.start_sync_run(id, false, "t", later(60)).unwrap();
    let failure = RunFailure {
        class: FailureClass::Authentication,
        request: Some("GET /v2/sales (sales page 1)".into()),
        message: "Gumroad refused this token (401): it is wrong, or was revoked".into(),
        retry_after_ms: None,
    };
    ledger
        .finish_sync_run(run.run_id, "t", &[], Some(&failure))
        .unwrap();
    let c = ledger.find_connection("gumroad").unwrap();
    assert_eq!(c.state, "needs_reconnect");
    assert!(c.state_reason.unwrap().contains("401"));
    ledger
        .set_connection_state(id, "disconnected", None)
        .unwrap();
    assert!(matches!(
        ledger.start_sync_run(id, false, "t", later(60)),
        Err(LedgerError::ConnectionDisconnected(_))
    ));
}

#[test]
fn a_dry_run_writes_nothing_and_undo_keeps_what_a_file_also_delivered() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(&dir.path().join("ledger.sqlite3")).unwrap();
    let id = ledger.connect(&gumroad("u1")).unwrap().connection.id;

    let mut preview = ledger.begin_sync_preview(id, "previewing").unwrap();
    preview.write(&sale("a", 1000)).unwrap();
    let (counts, added) = preview.preview().unwrap();
    assert_eq!(counts.inserted, 1);
    assert_eq!(added[0].sales_minor, 1000);
    assert_eq!(usd(&ledger), (0, 0));
    assert!(ledger.sync_runs(id, 10).unwrap().is_empty());

    // The export file has sale "a"; the sync brings "a" and "b".
    let mut batch = ledger
        .begin_batch(&BatchStart {
            file_name: "sales.csv".into(),
            file_path: None,
            format: "gumroad-sales".into(),
        })
        .unwrap();
    batch.write(&sale("a", 1000)).unwrap();
    batch.commit(&BatchEnd::default()).unwrap();
    let run = ledger.start_sync_run(id, false, "t", later(60)).unwrap();
    let mut page = ledger.begin_sync_page(run.run_id, "syncing").unwrap();
    page.write(&sale("a", 1000)).unwrap();
    page.write(&sale("b", 2000)).unwrap();
    let counts = page.commit("{}", &[], later(60)).unwrap();
    assert_eq!((counts.inserted, counts.duplicates), (1, 1));
    ledger.finish_sync_run(run.run_id, "t", &[], None).unwrap();
    assert_eq!(usd(&ledger), (3000, 2));

    let undone = ledger.undo_sync_run(run.run_id).unwrap();
    // "b" goes; "a" stays, as the file delivered it too.
    assert_eq!((undone.counts.removed, undone.counts.kept), (1, 1));
    assert_eq!(undone.changed[0].sales_minor, -2000);
    assert_eq!(undone.run.status, "undone");
    assert_eq!(usd(&ledger), (1000, 1));
    assert!(matches!(
        ledger.undo_sync_run(run.run_id),
        Err(LedgerError::SyncRunAlreadyUndone(_))
    ));
}
