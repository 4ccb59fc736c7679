//! Estimates and the final figures that replace them (KDP's daily royalties, then the month's), in
//! either order, through updates and undo, checked against sums computed here from the events that
//! should count.

use tributary_ledger::{BatchEnd, BatchStart, GroupBy, Ledger, ReportQuery};
use tributary_model::{Currency, EventKind, NewEvent, Settlement, UtcInstant};

fn royalty(id: &str, day: &str, marketplace: &str, money: i64, estimated: bool) -> NewEvent {
    NewEvent {
        platform: "kdp".into(),
        account: "main".into(),
        external_id: id.into(),
        kind: EventKind::Royalty,
        occurred_at: UtcInstant::parse_rfc3339(&format!("{day}T00:00:00Z")).unwrap(),
        product_id: Some("B0TEST".into()),
        product_name: Some("A Book".into()),
        quantity: 1,
        currency: Currency::from_code("USD").unwrap(),
        gross_minor: money,
        fees_minor: 0,
        net_minor: money,
        buyer_email: None,
        country: None,
        raw: None,
        source_line: None,
        settlement: Some(Settlement {
            period: format!("{} {marketplace}", &day[..7]),
            estimated,
        }),
    }
}

fn import(ledger: &mut Ledger, events: &[NewEvent]) -> i64 {
    let start = BatchStart {
        file_name: "kdp.xlsx".into(),
        file_path: None,
        format: "kdp-workbook".into(),
    };
    let mut batch = ledger.begin_batch(&start).unwrap();
    for e in events {
        batch.write(e).unwrap();
    }
    batch.commit(&BatchEnd::default()).unwrap().id
}

/// (net, events, estimated events) over everything.
fn totals(ledger: &Ledger) -> (i64, i64, i64) {
    let report = ledger.report(&ReportQuery::default()).unwrap();
    report
        .totals
        .first()
        .map_or((0, 0, 0), |f| (f.net_minor, f.events, f.estimated_events))
}

fn estimates() -> Vec<NewEvent> {
    vec![
        royalty("e1", "2026-03-02", "Amazon.com", 300, true),
        royalty("e2", "2026-03-17", "Amazon.com", 450, true),
        royalty("e3", "2026-03-05", "Amazon.de", 200, true),
        royalty("e4", "2026-04-01", "Amazon.com", 999, true),
    ]
}

fn finals() -> Vec<NewEvent> {
    vec![
        royalty("f1", "2026-03-01", "Amazon.com", 700, false),
        royalty("f2", "2026-03-01", "Amazon.com", 40, false),
    ]
}

/// What must count once the March Amazon.com finals are in: the finals, the Amazon.de and April
/// estimates; not the March Amazon.com estimates.
const SETTLED: (i64, i64, i64) = (700 + 40 + 200 + 999, 4, 2);

#[test]
fn finals_replace_the_estimates_of_their_period_in_either_order() {
    let mut first = Ledger::open_in_memory().unwrap();
    import(&mut first, &estimates());
    assert_eq!(totals(&first), (300 + 450 + 200 + 999, 4, 4));
    import(&mut first, &finals());
    assert_eq!(totals(&first), SETTLED);

    let mut second = Ledger::open_in_memory().unwrap();
    import(&mut second, &finals());
    assert_eq!(totals(&second), (740, 2, 0));
    import(&mut second, &estimates());
    assert_eq!(totals(&second), SETTLED);
    // Estimates imported again while settled stay out.
    import(&mut second, &estimates());
    assert_eq!(totals(&second), SETTLED);
}

#[test]
fn undoing_the_finals_brings_the_estimates_back_and_undoing_estimates_keeps_the_finals() {
    let mut ledger = Ledger::open_in_memory().unwrap();
    let estimated = import(&mut ledger, &estimates());
    let settled = import(&mut ledger, &finals());
    ledger.undo_batch(settled).unwrap();
    assert_eq!(totals(&ledger), (300 + 450 + 200 + 999, 4, 4));

    let again = import(&mut ledger, &finals());
    assert_eq!(totals(&ledger), SETTLED);
    ledger.undo_batch(estimated).unwrap();
    assert_eq!(totals(&ledger), (740, 2, 0));
    ledger.undo_batch(again).unwrap();
    assert_eq!(totals(&ledger), (0, 0, 0));
}

#[test]
fn a_corrected_final_updates_and_a_final_moved_to_another_period_unsettles_the_first() {
    let mut ledger = Ledger::open_in_memory().unwrap();
    import(&mut ledger, &estimates());
    import(&mut ledger, &finals());
    // f1 corrected: the period stays settled.
    import(
        &mut ledger,
        &[royalty("f1", "2026-03-01", "Amazon.com", 650, false)],
    );
    assert_eq!(totals(&ledger), (SETTLED.0 - 50, 4, 2));
    // f1 and f2 now say they are April's: March Amazon.com is unsettled (its estimates count again),
    // April Amazon.com is settled (its estimate stops counting).
    let moved = import(
        &mut ledger,
        &[
            royalty("f1", "2026-04-01", "Amazon.com", 650, false),
            royalty("f2", "2026-04-01", "Amazon.com", 40, false),
        ],
    );
    assert_eq!(totals(&ledger), (300 + 450 + 200 + 650 + 40, 5, 3));
    ledger.undo_batch(moved).unwrap();
    assert_eq!(totals(&ledger), (SETTLED.0 - 50, 4, 2));
}

#[test]
fn monthly_groups_tell_estimated_months_from_final_ones() {
    let mut ledger = Ledger::open_in_memory().unwrap();
    import(&mut ledger, &estimates());
    import(&mut ledger, &finals());
    let report = ledger
        .report(&ReportQuery {
            by: Some(GroupBy::Month),
            ..ReportQuery::default()
        })
        .unwrap();
    let months: Vec<(String, i64, i64)> = report
        .groups
        .iter()
        .map(|g| {
            (
                g.key.clone(),
                g.figures.net_minor,
                g.figures.estimated_events,
            )
        })
        .collect();
    // March: finals plus the Amazon.de estimate (still estimated in part); April: all estimate.
    assert_eq!(
        months,
        [("2026-03".into(), 940, 1), ("2026-04".into(), 999, 1)]
    );
}

#[test]
fn a_finals_batch_says_which_estimates_it_replaces_and_the_rest_stay_named() {
    let mut ledger = Ledger::open_in_memory().unwrap();
    import(&mut ledger, &estimates());
    // Before any finals: every estimated period, from the file they came from.
    let still: Vec<(String, String, i64)> = ledger
        .still_estimated()
        .unwrap()
        .into_iter()
        .map(|p| (p.month, p.marketplace, p.events))
        .collect();
    assert_eq!(
        still,
        [
            ("2026-03".to_string(), "Amazon.com".to_string(), 2),
            ("2026-03".to_string(), "Amazon.de".to_string(), 1),
            ("2026-04".to_string(), "Amazon.com".to_string(), 1),
        ]
    );
    let finals_batch = import(&mut ledger, &finals());
    let record = ledger.batch(finals_batch).unwrap().unwrap();
    assert_eq!(
        record.replaced_estimates, 2,
        "March Amazon.com's two estimates"
    );
    let still: Vec<String> = ledger
        .still_estimated()
        .unwrap()
        .into_iter()
        .map(|p| format!("{} {} {}", p.month, p.marketplace, p.files.join("+")))
        .collect();
    assert_eq!(
        still,
        ["2026-03 Amazon.de kdp.xlsx", "2026-04 Amazon.com kdp.xlsx"]
    );
    // The same finals again replace nothing more: their period was settled already.
    let again = import(&mut ledger, &finals());
    assert_eq!(ledger.batch(again).unwrap().unwrap().replaced_estimates, 0);
}
