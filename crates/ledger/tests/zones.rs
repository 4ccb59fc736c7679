//! Days counted in the creator's time zone: the rollups of a ledger whose zone changed equal those of a
//! ledger that counted in the new zone from the start, and an evening sale is that evening's.

use tributary_ledger::{BatchEnd, BatchStart, Bucket, GroupBy, Ledger, ReportQuery};
use tributary_model::{Currency, Day, EventKind, NewEvent, Settlement, UtcInstant, Zone};

fn event(i: i64) -> NewEvent {
    const KINDS: [EventKind; 4] = [
        EventKind::Sale,
        EventKind::Refund,
        EventKind::Royalty,
        EventKind::KenpRead,
    ];
    let kind = KINDS[(i % 4) as usize];
    // Spread over two years, at every hour of the day, so that many fall on another day elsewhere.
    let at = UtcInstant::from_millis(1_704_067_200_000 + i * 7_919_000 * 3);
    // KDP-like royalties carry a settlement period: estimates, and the finals of some months.
    let settlement = (kind == EventKind::Royalty).then(|| Settlement {
        period: format!("{} Amazon.com", &at.day().iso()[..7]),
        estimated: i % 3 != 0,
    });
    NewEvent {
        platform: if kind == EventKind::Royalty || kind == EventKind::KenpRead {
            "kdp".into()
        } else {
            ["stripe", "gumroad"][(i % 2) as usize].into()
        },
        account: "main".into(),
        external_id: format!("e{i}"),
        kind,
        occurred_at: at,
        product_id: Some(format!("p{}", i % 7)),
        product_name: Some(format!("Title {}", i % 7)),
        quantity: 1 + i % 3,
        currency: Currency::from_code(["USD", "EUR", "JPY"][(i % 3) as usize]).unwrap(),
        gross_minor: if kind == EventKind::Refund {
            -500
        } else {
            1000 + i
        },
        fees_minor: 30,
        net_minor: if kind == EventKind::Refund {
            -530
        } else {
            970 + i
        },
        buyer_email: None,
        country: [Some("US".to_string()), None, Some("DE".to_string())][(i % 3) as usize].clone(),
        raw: None,
        source_line: Some(i as u64 + 2),
        settlement,
    }
}

fn import(ledger: &mut Ledger, events: &[NewEvent]) {
    let mut batch = ledger
        .begin_batch(&BatchStart {
            file_name: "a.csv".into(),
            file_path: None,
            format: "ledger-csv".into(),
        })
        .unwrap();
    for e in events {
        batch.write(e).unwrap();
    }
    batch.commit(&BatchEnd::default()).unwrap();
}

/// Every report and series the ledger answers, as text.
fn everything(ledger: &Ledger) -> Vec<String> {
    let mut out = Vec::new();
    for by in [
        None,
        Some(GroupBy::Day),
        Some(GroupBy::Month),
        Some(GroupBy::Platform),
        Some(GroupBy::Product),
        Some(GroupBy::Currency),
        Some(GroupBy::Country),
    ] {
        for (from, to) in [(None, None), (Some("2024-02-10"), Some("2024-07-03"))] {
            let report = ledger
                .report(&ReportQuery {
                    from: from.map(|d| Day::parse(d).unwrap()),
                    to: to.map(|d| Day::parse(d).unwrap()),
                    by,
                })
                .unwrap();
            out.push(format!("{by:?} {from:?} {report:?}"));
        }
    }
    for bucket in [Bucket::Day, Bucket::Week, Bucket::Month] {
        out.push(format!("{:?}", ledger.series(None, None, bucket).unwrap()));
    }
    out
}

#[test]
fn rollups_rebuilt_in_a_new_zone_equal_rollups_counted_in_it_from_the_start() {
    let events: Vec<NewEvent> = (0..3_000).map(event).collect();
    let auckland = Zone::named("Pacific/Auckland").unwrap();

    let mut changed = Ledger::open_in_memory().unwrap();
    assert_eq!(changed.zone().unwrap(), Zone::utc());
    import(&mut changed, &events[..2_000]);
    let in_utc = everything(&changed);
    assert!(changed.set_zone(&auckland).unwrap(), "a new zone rebuilds");
    assert!(
        !changed.set_zone(&auckland).unwrap(),
        "the same zone does not"
    );
    // Written after the change, counted in the new zone too.
    import(&mut changed, &events[2_000..]);

    let mut from_start = Ledger::open_in_memory().unwrap();
    from_start.set_zone(&auckland).unwrap();
    import(&mut from_start, &events);

    assert_eq!(changed.zone().unwrap(), auckland);
    assert_eq!(everything(&changed), everything(&from_start));
    // Days moved, money did not.
    let totals = |l: &Ledger| l.report(&ReportQuery::default()).unwrap().totals;
    assert_ne!(
        everything(&changed)[2],
        in_utc[2],
        "the days differ between the zones"
    );
    let mut back = Ledger::open_in_memory().unwrap();
    import(&mut back, &events);
    assert_eq!(totals(&changed), totals(&back));
    // And back to UTC: the same rollups as a ledger that never left it.
    changed.set_zone(&Zone::utc()).unwrap();
    assert_eq!(everything(&changed), everything(&back));
}

#[test]
fn a_sale_at_half_past_eleven_on_the_last_evening_of_a_month_counts_in_that_month() {
    let mut ledger = Ledger::open_in_memory().unwrap();
    ledger
        .set_zone(&Zone::named("America/Los_Angeles").unwrap())
        .unwrap();
    let sale = NewEvent {
        // 23:30 on 30 November in Los Angeles.
        occurred_at: UtcInstant::parse_rfc3339("2026-12-01T07:30:00Z").unwrap(),
        kind: EventKind::Sale,
        platform: "stripe".into(),
        settlement: None,
        ..event(1)
    };
    import(&mut ledger, &[sale]);
    let keys = |l: &Ledger, by| {
        l.report(&ReportQuery {
            by: Some(by),
            ..ReportQuery::default()
        })
        .unwrap()
        .groups
        .into_iter()
        .map(|g| g.key)
        .collect::<Vec<_>>()
    };
    assert_eq!(keys(&ledger, GroupBy::Month), ["2026-11"]);
    assert_eq!(keys(&ledger, GroupBy::Day), ["2026-11-30"]);
    ledger.set_zone(&Zone::utc()).unwrap();
    assert_eq!(keys(&ledger, GroupBy::Month), ["2026-12"]);
    assert_eq!(keys(&ledger, GroupBy::Day), ["2026-12-01"]);
}

#[test]
fn the_zone_survives_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite3");
    let berlin = Zone::named("Europe/Berlin").unwrap();
    Ledger::open(&path).unwrap().set_zone(&berlin).unwrap();
    assert_eq!(Ledger::open(&path).unwrap().zone().unwrap(), berlin);
}
