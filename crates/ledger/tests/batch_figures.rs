//! What a batch added to the figures (kept with it, for the history), the period its rows cover, and
//! what undoing it would take out, worked out without undoing: each checked against the ledger's
//! totals before and after.

use tributary_ledger::{BatchEnd, BatchStart, Figures, Ledger, ReportQuery};
use tributary_model::{Currency, EventKind, NewEvent, Settlement, UtcInstant};

fn event(id: &str, kind: EventKind, at: &str, currency: &str, gross: i64, fees: i64) -> NewEvent {
    NewEvent {
        platform: "stripe".into(),
        account: "main".into(),
        external_id: id.into(),
        kind,
        occurred_at: UtcInstant::parse_rfc3339(at).unwrap(),
        product_id: Some("p1".into()),
        product_name: Some("Course".into()),
        quantity: i64::from(kind == EventKind::Sale),
        currency: Currency::from_code(currency).unwrap(),
        gross_minor: gross,
        fees_minor: fees,
        net_minor: gross - fees,
        buyer_email: None,
        country: None,
        raw: None,
        source_line: None,
        settlement: None,
    }
}

fn import(ledger: &mut Ledger, name: &str, events: &[NewEvent]) -> i64 {
    let mut batch = ledger
        .begin_batch(&BatchStart {
            file_name: name.into(),
            file_path: None,
            format: "ledger-csv".into(),
        })
        .unwrap();
    for e in events {
        batch.write(e).unwrap();
    }
    batch.commit(&BatchEnd::default()).unwrap().id
}

fn totals(ledger: &Ledger) -> Vec<Figures> {
    ledger.report(&ReportQuery::default()).unwrap().totals
}

#[test]
fn a_batch_keeps_what_it_added_and_the_days_it_covers() {
    let mut ledger = Ledger::open_in_memory().unwrap();
    let first = import(
        &mut ledger,
        "march.csv",
        &[
            event(
                "s1",
                EventKind::Sale,
                "2026-03-02T10:00:00Z",
                "USD",
                10_000,
                320,
            ),
            event(
                "s1:refund",
                EventKind::Refund,
                "2026-03-20T10:00:00Z",
                "USD",
                -2_500,
                0,
            ),
            event(
                "s2",
                EventKind::Sale,
                "2026-03-31T23:00:00Z",
                "EUR",
                5_000,
                150,
            ),
        ],
    );
    let before = totals(&ledger);
    // A second file repeats s2, changes s1's refund and adds a sale: it added only the difference.
    let second = import(
        &mut ledger,
        "april.csv",
        &[
            event(
                "s2",
                EventKind::Sale,
                "2026-03-31T23:00:00Z",
                "EUR",
                5_000,
                150,
            ),
            event(
                "s1:refund",
                EventKind::Refund,
                "2026-03-20T10:00:00Z",
                "USD",
                -10_000,
                0,
            ),
            event(
                "s3",
                EventKind::Sale,
                "2026-04-05T08:00:00Z",
                "USD",
                2_000,
                60,
            ),
        ],
    );
    let after = totals(&ledger);
    let batches = ledger.batches().unwrap();
    let (b2, b1) = (&batches[0], &batches[1]);
    assert_eq!((b1.id, b2.id), (first, second));

    let usd = b1.added.iter().find(|f| f.currency == "USD").unwrap();
    assert_eq!(
        (
            usd.sales_minor,
            usd.refunds_minor,
            usd.fees_minor,
            usd.net_minor
        ),
        (10_000, 2_500, 320, 7_180)
    );
    assert_eq!(
        b1.added, before,
        "the first batch added everything there was"
    );
    assert_eq!(b2.added, tributary_ledger::change(&before, &after));
    let usd = &b2.added[0];
    assert_eq!(
        (usd.currency.as_str(), usd.refunds_minor, usd.net_minor),
        ("USD", 7_500, 1_940 - 7_500)
    );
    assert!(b2.added.iter().all(Figures::reconciles));
    assert_eq!(b2.added.len(), 1, "the EUR repeat changed nothing");

    assert_eq!(b1.first_event_at.as_deref(), Some("2026-03-02T10:00:00Z"));
    assert_eq!(b1.last_event_at.as_deref(), Some("2026-03-31T23:00:00Z"));
    assert_eq!(b2.first_event_at.as_deref(), Some("2026-03-20T10:00:00Z"));
    assert_eq!(b2.last_event_at.as_deref(), Some("2026-04-05T08:00:00Z"));
    assert_eq!(ledger.batch(second).unwrap().unwrap(), *b2);
}

#[test]
fn the_undo_preview_is_exactly_what_the_undo_then_takes_out() {
    let mut ledger = Ledger::open_in_memory().unwrap();
    import(
        &mut ledger,
        "a.csv",
        &[
            event(
                "s1",
                EventKind::Sale,
                "2026-03-02T10:00:00Z",
                "USD",
                10_000,
                320,
            ),
            event(
                "f1",
                EventKind::Fee,
                "2026-03-03T10:00:00Z",
                "USD",
                -1_500,
                0,
            ),
        ],
    );
    // The second batch changes s1 (undo puts the first version back), adds a chargeback, and repeats f1
    // (which stays, since the first batch has it too).
    let second = import(
        &mut ledger,
        "b.csv",
        &[
            event(
                "s1",
                EventKind::Sale,
                "2026-03-02T10:00:00Z",
                "USD",
                12_000,
                380,
            ),
            event(
                "s1:chargeback",
                EventKind::Chargeback,
                "2026-03-09T10:00:00Z",
                "USD",
                -12_000,
                0,
            ),
            event(
                "f1",
                EventKind::Fee,
                "2026-03-03T10:00:00Z",
                "USD",
                -1_500,
                0,
            ),
        ],
    );
    let before = totals(&ledger);
    let preview = ledger.undo_preview(second).unwrap();
    assert_eq!(totals(&ledger), before, "the preview undoes nothing");
    ledger.undo_batch(second).unwrap();
    let after = totals(&ledger);
    assert_eq!(preview, tributary_ledger::change(&before, &after));
    let usd = &preview[0];
    assert_eq!(
        (usd.sales_minor, usd.chargebacks_minor, usd.fees_minor),
        (-2_000, -12_000, -60)
    );
    assert!(usd.reconciles(), "{usd:?}");
    // Undone already: the preview says so, as the undo would.
    assert!(ledger.undo_preview(second).is_err());
}

#[test]
fn estimates_replaced_by_finals_show_in_what_the_finals_added() {
    let royalty = |id: &str, money: i64, estimated: bool| NewEvent {
        platform: "kdp".into(),
        kind: EventKind::Royalty,
        settlement: Some(Settlement {
            period: "2026-03 Amazon.com".into(),
            estimated,
        }),
        ..event(
            id,
            EventKind::Royalty,
            "2026-03-05T00:00:00Z",
            "USD",
            money,
            0,
        )
    };
    let mut ledger = Ledger::open_in_memory().unwrap();
    import(
        &mut ledger,
        "daily.xlsx",
        &[royalty("e1", 300, true), royalty("e2", 450, true)],
    );
    let finals = import(&mut ledger, "finals.xlsx", &[royalty("f1", 700, false)]);
    let added = &ledger.batch(finals).unwrap().unwrap().added[0];
    // The finals replace the estimates: net 700 in, 750 of estimates out.
    assert_eq!(
        (added.net_minor, added.events, added.estimated_events),
        (-50, -1, -2)
    );
}
