//! Schema migrations against real files: from empty, from every earlier version, and a refusal of a file
//! from a newer build.

use rusqlite::Connection;
use tributary_ledger::{migrate, BatchEnd, BatchStart, GroupBy, Ledger, LedgerError, ReportQuery};
use tributary_model::{Currency, EventKind, NewEvent, UtcInstant};

fn sale(id: &str) -> NewEvent {
    NewEvent {
        platform: "gumroad".into(),
        account: "main".into(),
        external_id: id.into(),
        kind: EventKind::Sale,
        occurred_at: UtcInstant::parse_rfc3339("2024-03-05T19:38:56Z").unwrap(),
        product_id: Some("p1".into()),
        product_name: Some("Book".into()),
        quantity: 1,
        currency: Currency::from_code("USD").unwrap(),
        gross_minor: 1000,
        fees_minor: 100,
        net_minor: 900,
        buyer_email: None,
        country: Some("US".into()),
        raw: None,
        source_line: Some(2),
        settlement: None,
    }
}

fn tables(conn: &Connection) -> Vec<String> {
    conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_new_file_gets_the_latest_schema_and_no_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite3");
    let ledger = Ledger::open(&path).unwrap();
    assert_eq!(ledger.migration().from_version, 0);
    assert_eq!(ledger.migration().to_version, migrate::latest_version());
    assert_eq!(ledger.migration().backup, None);
    let names = tables(ledger.connection());
    for table in [
        "events",
        "batches",
        "batch_errors",
        "connections",
        "sync_runs",
        "jobs",
        "rollup_daily",
        "schema_migrations",
    ] {
        assert!(names.iter().any(|n| n == table), "missing table {table}");
    }
    let journal: String = ledger
        .connection()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal");
    let fk: i64 = ledger
        .connection()
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1);
    drop(ledger);
    // Opening again changes nothing.
    let again = Ledger::open(&path).unwrap();
    assert_eq!(again.migration().from_version, migrate::latest_version());
    assert_eq!(again.migration().backup, None);
}

#[test]
fn every_earlier_version_upgrades_keeping_its_data_and_a_backup() {
    for version in 1..migrate::latest_version() + 1 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.sqlite3");
        {
            let old = Ledger::open_at(&path, version).unwrap();
            assert_eq!(old.migration().to_version, version);
            // Written as that version's code wrote it: plain SQL on the columns every version has
            // (the writer of this build knows only the latest schema).
            old.connection()
                .execute_batch(
                    "INSERT INTO sources (id, platform, account) VALUES (1, 'stripe', 'main');
                     INSERT INTO batches (id, file_name, format, status, started_at)
                         VALUES (1, 'a.csv', 'ledger-csv', 'imported', 0);
                     INSERT INTO events (source_id, external_id, identity_hash, content_hash, kind,
                         occurred_at, quantity, currency, gross_minor, fees_minor, net_minor, batch_id,
                         recorded_at)
                         VALUES (1, 's1', 0, 0, 'sale', 1709667536000, 1, 'USD', 4999, 30, 4969, 1, 0);",
                )
                .unwrap();
            // Rollups were keyed by text before version 4, by numbers since, and summed the figures
            // of figures.rs since version 6 (recounted from the events when upgraded).
            let rollup = if version < 4 {
                "INSERT INTO rollup_monthly (month, platform, currency, gross_minor, fees_minor,
                     net_minor, refunds_minor, units, kenp_pages, events)
                     VALUES ('2024-03', 'stripe', 'USD', 4999, 30, 4969, 0, 1, 0, 1);"
            } else if version < 6 {
                "INSERT INTO rollup_keys (id, text) VALUES (1, 'stripe'), (2, 'USD');
                 INSERT INTO rollup_monthly (month, platform, currency, gross_minor, fees_minor,
                     net_minor, refunds_minor, units, kenp_pages, events, estimated)
                     VALUES (19783, 1, 2, 4999, 30, 4969, 0, 1, 0, 1, 0);"
            } else {
                "INSERT INTO rollup_keys (id, text) VALUES (1, 'stripe'), (2, 'USD');
                 INSERT INTO rollup_monthly (month, platform, currency, sales_minor, refunds_minor,
                     chargebacks_minor, fees_minor, net_minor, units, kenp_pages, events, estimated)
                     VALUES (19783, 1, 2, 4999, 0, 0, 30, 4969, 1, 0, 1, 0);"
            };
            old.connection().execute_batch(rollup).unwrap();
        }
        let mut ledger = Ledger::open(&path).unwrap();
        assert_eq!(ledger.migration().from_version, version);
        assert_eq!(ledger.migration().to_version, migrate::latest_version());
        assert_eq!(ledger.status().unwrap().events, 1, "from v{version}");
        let totals = ledger.report(&ReportQuery::default()).unwrap().totals;
        assert_eq!((totals[0].net_minor, totals[0].estimated_events), (4969, 0));
        let f = &totals[0];
        assert_eq!(
            (f.sales_minor, f.fees_minor, f.refunds_minor),
            (4999, 30, 0),
            "from v{version}"
        );
        assert!(f.reconciles(), "from v{version}: {f:?}");
        // The upgraded file takes new writes.
        let mut batch = ledger
            .begin_batch(&BatchStart {
                file_name: "b.csv".into(),
                file_path: None,
                format: "ledger-csv".into(),
            })
            .unwrap();
        batch.write(&sale("s2")).unwrap();
        batch.commit(&BatchEnd::default()).unwrap();
        assert_eq!(ledger.status().unwrap().events, 2, "from v{version}");
        // The upgraded rollups and the new write count in the same rows: one USD total, both platforms.
        let report = ledger
            .report(&ReportQuery {
                by: Some(GroupBy::Platform),
                ..ReportQuery::default()
            })
            .unwrap();
        assert_eq!(report.totals.len(), 1, "from v{version}");
        assert_eq!(report.totals[0].net_minor, 4969 + 900, "from v{version}");
        let platforms: Vec<_> = report.groups.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(platforms, ["gumroad", "stripe"], "from v{version}");
        if version < migrate::latest_version() {
            let backup = ledger
                .migration()
                .backup
                .clone()
                .expect("a backup before migrating");
            let copy = Connection::open(&backup).unwrap();
            let events: i64 = copy
                .query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
                .unwrap();
            assert_eq!(events, 1);
            assert_eq!(migrate::current_version(&copy).unwrap(), version);
        }
    }
}

#[test]
fn an_upgrade_of_a_file_with_data_backs_it_up_first_and_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite3");
    {
        let mut ledger = Ledger::open(&path).unwrap();
        let mut batch = ledger
            .begin_batch(&BatchStart {
                file_name: "a.csv".into(),
                file_path: None,
                format: "ledger-csv".into(),
            })
            .unwrap();
        batch.write(&sale("s1")).unwrap();
        batch.commit(&BatchEnd::default()).unwrap();
    }
    let next = migrate::latest_version() + 1;
    let mut with_next: Vec<migrate::Migration> = migrate::MIGRATIONS
        .iter()
        .map(|m| migrate::Migration {
            version: m.version,
            name: m.name,
            sql: m.sql,
            recount: m.recount,
        })
        .collect();

    // A migration that fails half way leaves the file as it was.
    with_next.push(migrate::Migration {
        version: next,
        name: "broken",
        sql: "ALTER TABLE events ADD COLUMN note TEXT; SELECT * FROM no_such_table;",
        recount: false,
    });
    let mut conn = Connection::open(&path).unwrap();
    let err = migrate::apply(&mut conn, Some(&path), &with_next, next).unwrap_err();
    assert!(
        matches!(err, LedgerError::Migration { name: "broken", .. }),
        "{err}"
    );
    assert_eq!(migrate::current_version(&conn).unwrap(), next - 1);
    let has_note: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM pragma_table_info('events') WHERE name = 'note'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        has_note, 0,
        "the failed migration's first statement was rolled back"
    );

    // A good one is applied after a backup that holds the data as it was.
    with_next.pop();
    with_next.push(migrate::Migration {
        version: next,
        name: "add_note",
        sql: "ALTER TABLE events ADD COLUMN note TEXT;",
        recount: false,
    });
    let report = migrate::apply(&mut conn, Some(&path), &with_next, next).unwrap();
    assert_eq!((report.from_version, report.to_version), (next - 1, next));
    let backup = report
        .backup
        .expect("an existing file is backed up before it is migrated");
    assert!(backup
        .to_string_lossy()
        .ends_with(&format!(".v{}.bak", next - 1)));
    let copy = Connection::open(&backup).unwrap();
    assert_eq!(migrate::current_version(&copy).unwrap(), next - 1);
    let events: i64 = copy
        .query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(events, 1);
    assert_eq!(migrate::current_version(&conn).unwrap(), next);
}

#[test]
fn a_file_from_a_newer_build_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite3");
    drop(Ledger::open(&path).unwrap());
    Connection::open(&path)
        .unwrap()
        .execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)",
            [],
        )
        .unwrap();
    let err = Ledger::open(&path)
        .err()
        .expect("a newer schema must be refused");
    assert!(
        matches!(err, LedgerError::NewerSchema { found: 9999, .. }),
        "{err}"
    );
    let message = err.to_string();
    assert!(message.contains("newer Tributary"), "{message}");
    assert!(message.contains("ledger.sqlite3"), "{message}");
}

#[test]
fn rollups_keyed_by_text_become_rollups_keyed_by_numbers_with_every_figure_and_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite3");
    {
        let old = Ledger::open_at(&path, 3).unwrap();
        // A product renamed between two days, a sale before 1970 of an unnamed product, the platform
        // rows they sum to, and a month of each.
        old.connection()
            .execute_batch(
                "INSERT INTO rollup_daily_product VALUES
                     ('2024-03-09', 'gumroad', 'p1', 'USD', 'New title', 500, 50, 450, 0, 1, 0, 1, 0),
                     ('2024-03-05', 'gumroad', 'p1', 'USD', 'Old title', 1000, 100, 900, 0, 1, 0, 1, 1),
                     ('1969-12-29', 'kdp', '', 'EUR', NULL, 300, 0, 300, 0, 1, 0, 1, 0);
                 INSERT INTO rollup_daily VALUES
                     ('2024-03-05', 'gumroad', 'USD', 1000, 100, 900, 0, 1, 0, 1, 1),
                     ('2024-03-09', 'gumroad', 'USD', 500, 50, 450, 0, 1, 0, 1, 0),
                     ('1969-12-29', 'kdp', 'EUR', 300, 0, 300, 0, 1, 0, 1, 0);
                 INSERT INTO rollup_monthly_product VALUES
                     ('2024-03', 'gumroad', 'p1', 'USD', 'New title', 1500, 150, 1350, 0, 2, 0, 2, 1),
                     ('1969-12', 'kdp', '', 'EUR', NULL, 300, 0, 300, 0, 1, 0, 1, 0);
                 INSERT INTO rollup_monthly VALUES
                     ('2024-03', 'gumroad', 'USD', 1500, 150, 1350, 0, 2, 0, 2, 1),
                     ('1969-12', 'kdp', 'EUR', 300, 0, 300, 0, 1, 0, 1, 0);",
            )
            .unwrap();
    }
    // Up to the last schema whose rollups were summed by SQL from what they held: since version 6 they
    // are recounted from the events (`v5_rollups_are_recounted_as_the_figures_from_the_events`).
    let ledger = Ledger::open_at(&path, 5).unwrap();
    assert_eq!(ledger.migration().from_version, 3);
    let rows = |sql: &str| -> Vec<String> {
        ledger
            .connection()
            .prepare(sql)
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let key = |column: &str| format!("(SELECT text FROM rollup_keys WHERE id = {column})");
    assert_eq!(
        rows(&format!(
            "SELECT {} || '/' || {} || ' ' || name FROM rollup_product_names ORDER BY 1",
            key("platform"),
            key("product")
        )),
        ["gumroad/p1 New title"]
    );
    assert_eq!(
        rows(&format!(
            "SELECT date(2440587.5 + day) || ' ' || {} || ' ' || {} || ' ' || net_minor || ' ' || estimated
             FROM rollup_daily ORDER BY day",
            key("platform"),
            key("currency")
        )),
        [
            "1969-12-29 kdp EUR 300 0",
            "2024-03-05 gumroad USD 900 1",
            "2024-03-09 gumroad USD 450 0"
        ]
    );
    assert_eq!(
        rows(&format!(
            "SELECT date(2440587.5 + month) || ' ' || {} || ' ' || gross_minor || ' ' || fees_minor
             FROM rollup_monthly_product ORDER BY month",
            key("product")
        )),
        ["1969-12-01  300 0", "2024-03-01 p1 1500 150"]
    );
}

#[test]
fn v5_rollups_are_recounted_as_the_figures_from_the_events() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite3");
    {
        let old = Ledger::open_at(&path, 5).unwrap();
        // In Los Angeles: a sale with fees, a partial refund and a lost dispute of it, a fee event, an
        // adjustment, a sale whose platform withheld tax beyond its fee, and a payout (no figure).
        // The v5 rollups hold nonsense: the upgrade recounts them from the events.
        old.connection()
            .execute_batch(
                "INSERT INTO ledger_settings (key, value) VALUES ('rollup_time_zone', 'America/Los_Angeles');
                 INSERT INTO sources (id, platform, account) VALUES (1, 'stripe', 'main');
                 INSERT INTO batches (id, file_name, format, status, started_at)
                     VALUES (1, 'a.csv', 'ledger-csv', 'imported', 0);
                 INSERT INTO events (source_id, external_id, identity_hash, content_hash, kind,
                     occurred_at, quantity, currency, gross_minor, fees_minor, net_minor, batch_id,
                     recorded_at) VALUES
                     (1, 's1', 1, 0, 'sale', 1709269200000, 1, 'USD', 10000, 320, 9680, 1, 0),
                     (1, 's1:refund', 2, 0, 'refund', 1709269200000, 0, 'USD', -2500, 0, -2500, 1, 0),
                     (1, 's1:chargeback', 3, 0, 'chargeback', 1709269200000, 0, 'USD', -1000, 0, -1000, 1, 0),
                     (1, 'f1', 4, 0, 'fee', 1709269200000, 0, 'USD', -1500, 0, -1500, 1, 0),
                     (1, 'a1', 5, 0, 'adjustment', 1709269200000, 0, 'USD', 200, 0, 200, 1, 0),
                     (1, 's2', 6, 0, 'sale', 1709269200000, 1, 'USD', 5000, 150, 4350, 1, 0),
                     (1, 'p1', 7, 0, 'payout', 1709269200000, 0, 'USD', -9000, 0, -9000, 1, 0);
                 INSERT INTO rollup_keys (id, text) VALUES (1, 'stripe'), (2, 'USD');
                 INSERT INTO rollup_monthly (month, platform, currency, gross_minor, fees_minor,
                     net_minor, refunds_minor, units, kenp_pages, events, estimated)
                     VALUES (19783, 1, 2, 1, 2, 3, 4, 5, 6, 7, 0);",
            )
            .unwrap();
    }
    let ledger = Ledger::open(&path).unwrap();
    assert_eq!(ledger.migration().from_version, 5);
    let report = ledger
        .report(&ReportQuery {
            by: Some(GroupBy::Month),
            ..ReportQuery::default()
        })
        .unwrap();
    let f = &report.totals[0];
    assert_eq!(
        (
            f.sales_minor,
            f.refunds_minor,
            f.chargebacks_minor,
            f.fees_minor,
            f.adjustments_minor,
            f.net_minor
        ),
        (15_000, 2_500, 1_000, 320 + 1_500 + 150, 200 - 500, 9_230)
    );
    assert!(f.reconciles(), "{f:?}");
    assert_eq!((f.units, f.events), (2, 6));
    // 2024-03-01T05:00Z is the evening of Feb 29 in Los Angeles: counted in the rollups' zone.
    let months: Vec<_> = report.groups.iter().map(|g| g.key.as_str()).collect();
    assert_eq!(months, ["2024-02"]);
}
