//! The Whop connector against the Whop stand-in (shared/contracts/platform-apis.md §2): a backfill
//! brings the stand-in's own totals per currency exactly (gross, fees, net, refunds), once each; a
//! later sync asks only for payments updated since the last run less the look-back, and brings new
//! payments and the refund of an old one; a sync stopped by a 503 streak resumes from its cursor
//! without a duplicate; a payment made mid-run is read in the same run; a refused or revoked key
//! ends as an authentication failure in words without the key; broken bodies name their page.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::{by_id, credential, options, runtime, sync};
use tributary_connectors::whop::{Whop, API_VERSION_DATE};
use tributary_connectors::Connector;
use tributary_http::{ClientConfig, Url};
use tributary_model::{EventKind, FailureClass, NewEvent};
use tributary_standins::whop::{generate_payments, DisputeOutcome, DEFAULT_KEY};
use tributary_standins::{Fault, Refund, StandInPayment, WhopConfig, WhopStandIn};

fn standin(payments: usize, seed: u64) -> WhopStandIn {
    WhopStandIn::spawn(WhopConfig {
        payments: generate_payments(payments, seed, common::year_2025().0, common::year_2025().1),
        ..WhopConfig::default()
    })
    .expect("stand-in")
}

/// The connector pointed at the stand-in, retrying after milliseconds instead of seconds.
fn connector(standin: &WhopStandIn) -> Whop {
    let config = common::quick_retries(Whop::client_config());
    Whop::with_config(Url::parse(&standin.base_url()).unwrap(), config).unwrap()
}

/// Every event of `pages` written into a collection keyed by identity, counting repeats.
fn collect(pages: &[tributary_connectors::Page]) -> (BTreeMap<String, NewEvent>, usize) {
    let mut seen = BTreeMap::new();
    let mut repeats = 0;
    for e in pages.iter().flat_map(|p| p.events.iter()) {
        if seen.insert(e.external_id.clone(), e.clone()).is_some() {
            repeats += 1;
        }
    }
    (seen, repeats)
}

#[test]
fn a_backfill_brings_every_paid_payment_once_with_the_standins_totals_per_currency() {
    let s = standin(250, 7);
    let whop = connector(&s);
    let rt = runtime();
    let (pages, error) = sync(&rt, &whop, DEFAULT_KEY, None, &options(false));
    assert!(error.is_none(), "{error:?}");
    // A hundred payments a page.
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[2].label, "payments page 3");
    let (events, repeats) = collect(&pages);
    assert_eq!(repeats, 0, "an event came twice in one backfill");

    let expected = s.expected_totals();
    assert!(expected.len() >= 4, "{expected:?}");
    for (currency, want) in &expected {
        let code = currency.to_ascii_uppercase();
        let of = |kind: EventKind| {
            let code = code.clone();
            events
                .values()
                .filter(move |e| e.kind == kind && e.currency.code() == code)
        };
        let sales: Vec<&NewEvent> = of(EventKind::Sale).collect();
        assert_eq!(sales.len() as u64, want.payments, "{currency}");
        assert_eq!(
            sales.iter().map(|e| e.gross_minor).sum::<i64>(),
            want.total,
            "{currency}"
        );
        assert_eq!(
            sales.iter().map(|e| e.fees_minor).sum::<i64>(),
            want.fees,
            "{currency}"
        );
        assert_eq!(
            sales.iter().map(|e| e.net_minor).sum::<i64>(),
            want.amount_after_fees,
            "{currency}"
        );
        assert_eq!(
            -of(EventKind::Refund).map(|e| e.gross_minor).sum::<i64>(),
            want.refunded_amount,
            "{currency}"
        );
        assert_eq!(
            of(EventKind::Refund).count() as u64,
            want.refunds + want.partial_refunds,
            "{currency}"
        );
        assert!(sales
            .iter()
            .all(|e| e.gross_minor == e.fees_minor + e.net_minor && e.fees_minor > 0));
        // Disputes: what those not won took; a won one is a chargeback of 0.
        assert_eq!(
            -of(EventKind::Chargeback)
                .map(|e| e.gross_minor)
                .sum::<i64>(),
            want.disputed,
            "{currency}"
        );
        assert_eq!(
            of(EventKind::Chargeback).count() as u64,
            want.disputes,
            "{currency}"
        );
    }
    assert!(
        expected.values().map(|t| t.disputes).sum::<u64>() > 0,
        "no disputes in the data"
    );
    assert!(expected["jpy"].payments > 0 && expected["jpy"].total > 0);
    let no_money: u64 = expected.values().map(|t| t.no_money_payments).sum();
    assert!(
        no_money > 0,
        "the stand-in's data should have payments that moved no money"
    );
    let unpaid = s.payments().into_iter().find(|p| !p.moved_money()).unwrap();
    assert!(!events.contains_key(&unpaid.id));
    // Oldest first, a hundred at a time, with the API version the connector is written for.
    assert!(s.requests().iter().all(|r| r.path == "/api/v1/payments"
        && r.query.contains("first=100")
        && r.query.contains("order=created_at&direction=asc")
        && !r.query.contains("updated_after")));
    assert_eq!(s.api_versions_seen(), vec![API_VERSION_DATE.to_string()]);
}

#[test]
fn a_later_sync_asks_for_recent_updates_and_brings_new_payments_and_old_refunds() {
    let s = standin(450, 11);
    let whop = connector(&s);
    let rt = runtime();
    let (first, error) = sync(&rt, &whop, DEFAULT_KEY, None, &options(false));
    assert!(error.is_none(), "{error:?}");
    assert_eq!(first.len(), 5);
    let cursor = first.last().unwrap().cursor.clone();
    let before = by_id(&first);

    // The oldest paid payment, months before the look-back, is refunded in part; two payments come.
    let payments = s.payments();
    let old = payments
        .iter()
        .find(|p| p.moved_money() && p.refunded_amount == 0)
        .unwrap()
        .clone();
    s.refund(&old.id, Refund::Partial(100)).unwrap();
    let newest = payments.last().unwrap().created_at + chrono::Duration::hours(2);
    let added = s
        .add_payments([
            StandInPayment::new(newest, "Late Course", 1500),
            StandInPayment::new(newest + chrono::Duration::minutes(5), "Late Yen", 2000)
                .in_currency("jpy"),
        ])
        .unwrap();

    s.clear_requests();
    let (second, error) = sync(&rt, &whop, DEFAULT_KEY, Some(cursor), &options(false));
    assert!(error.is_none(), "{error:?}");
    assert_eq!(second.len(), 1, "{} pages", second.len());
    let requests = s.requests();
    assert_eq!(requests.len(), 1);
    assert!(
        requests[0].query.contains("updated_after="),
        "{:?}",
        requests[0]
    );
    let later = by_id(&second);
    let refund = &later[&format!("{}:refund", old.id)];
    assert_eq!((refund.kind, refund.gross_minor), (EventKind::Refund, -100));
    assert_eq!(
        later[&old.id], before[&old.id],
        "the sale itself is unchanged"
    );
    assert_eq!(later[&added[0].id].gross_minor, 1500);
    assert_eq!(
        (
            later[&added[1].id].currency.code(),
            later[&added[1].id].gross_minor
        ),
        ("JPY", 2000)
    );
    // Only what changed lately: the refund's payment, the new ones, the month's updates.
    assert!(later.len() < 100, "{}", later.len());

    // The run after sees the same window again (look-back) and nothing new.
    let (third, error) = sync(
        &rt,
        &whop,
        DEFAULT_KEY,
        Some(second.last().unwrap().cursor.clone()),
        &options(false),
    );
    assert!(error.is_none(), "{error:?}");
    assert!(by_id(&third)
        .keys()
        .all(|k| later.contains_key(k) || before.contains_key(k)));

    // `--full` reads everything again: every earlier event, the refund and the new payments.
    let (full, error) = sync(
        &rt,
        &whop,
        DEFAULT_KEY,
        Some(third.last().unwrap().cursor.clone()),
        &options(true),
    );
    assert!(error.is_none(), "{error:?}");
    let everything = by_id(&full);
    assert!(before.keys().all(|k| everything.contains_key(k)));
    assert!(later.keys().all(|k| everything.contains_key(k)));
}

#[test]
fn a_sync_stopped_by_a_503_streak_resumes_at_the_page_it_did_not_get() {
    let s = standin(350, 3);
    let rt = runtime();
    let (whole, error) = sync(&rt, &connector(&s), DEFAULT_KEY, None, &options(false));
    assert!(error.is_none(), "{error:?}");
    let (whole, _) = collect(&whole);

    let second = connector(&s);
    s.set_fault(
        Fault::server_error(503)
            .on_path("/api/v1/payments")
            .after(2)
            .forever(),
    );
    let (got, error) = sync(&rt, &second, DEFAULT_KEY, None, &options(false));
    let error = error.expect("the sync should stop");
    assert_eq!(got.len(), 2);
    assert_eq!(error.class, FailureClass::Transient);
    assert!(error.to_string().contains("payments page 3"), "{error}");

    s.clear_faults();
    let (rest, error) = sync(
        &rt,
        &second,
        DEFAULT_KEY,
        Some(got[1].cursor.clone()),
        &options(false),
    );
    assert!(error.is_none(), "{error:?}");
    assert_eq!(rest[0].label, "payments page 3");
    let mut pages = got;
    pages.extend(rest);
    let (resumed, repeats) = collect(&pages);
    assert_eq!(repeats, 0, "a page was read twice");
    assert_eq!(resumed, whole);
}

#[test]
fn a_payment_made_mid_run_is_read_at_the_end_of_the_same_run() {
    let s = standin(250, 5);
    let whop = connector(&s);
    let rt = runtime();
    s.push_fault(
        Fault::insert_newest_sale()
            .on_path("/api/v1/payments")
            .after(1),
    );
    // Faults on one path come one after the other: this one takes the third request.
    s.push_fault(Fault::refund_sale(None).on_path("/api/v1/payments"));
    let (pages, error) = sync(&rt, &whop, DEFAULT_KEY, None, &options(false));
    assert!(error.is_none(), "{error:?}");
    let changes = s.applied_changes();
    let inserted = changes[0].sale_id.clone().unwrap();
    let (events, repeats) = collect(&pages);
    assert_eq!(repeats, 0);
    assert!(events.contains_key(&inserted));
    // The oldest payment was refunded after its page was read: the next sync's window brings it.
    let refunded = changes[1].sale_id.clone().unwrap();
    assert!(!events.contains_key(&format!("{refunded}:refund")));
    let (next, error) = sync(
        &rt,
        &whop,
        DEFAULT_KEY,
        Some(pages.last().unwrap().cursor.clone()),
        &options(false),
    );
    assert!(error.is_none(), "{error:?}");
    assert!(by_id(&next).contains_key(&format!("{refunded}:refund")));
    let totals = s.expected_totals();
    let mut all = events;
    all.extend(by_id(&next));
    let refunded_usd: i64 = all
        .values()
        .filter(|e| e.kind == EventKind::Refund && e.currency.code() == "USD")
        .map(|e| -e.gross_minor)
        .sum();
    assert_eq!(refunded_usd, totals["usd"].refunded_amount);
}

#[test]
fn a_wrong_or_revoked_key_is_refused_in_words_without_the_key() {
    let s = standin(5, 1);
    let whop = connector(&s);
    let rt = runtime();
    let secret = "wrong-key-4f1c9e";
    let e = rt.block_on(whop.check(&credential(secret))).unwrap_err();
    assert_eq!(e.class, FailureClass::Authentication);
    assert!(
        e.to_string().contains("Whop refused this API key (401)"),
        "{e}"
    );
    for text in [e.to_string(), format!("{e:?}")] {
        assert!(!text.contains(secret), "{text}");
    }
    let account = rt.block_on(whop.check(&credential(DEFAULT_KEY))).unwrap();
    assert_eq!(account.id, s.company().id);
    assert_eq!(account.name, s.company().title);

    s.revoke_key(DEFAULT_KEY);
    let (pages, error) = sync(&rt, &whop, DEFAULT_KEY, None, &options(false));
    let e = error.expect("refused");
    assert!(pages.is_empty());
    assert_eq!(e.class, FailureClass::Authentication);
    assert!(e.to_string().contains("payments page 1"), "{e}");
    for record in whop.take_records() {
        assert!(!format!("{record:?}").contains(DEFAULT_KEY));
    }
}

#[test]
fn broken_answers_are_unexpected_data_naming_the_page() {
    let s = standin(150, 2);
    let whop = connector(&s);
    let rt = runtime();
    for (fault, page) in [
        (Fault::malformed_json(), "payments page 1"),
        (Fault::html_page().after(1), "payments page 2"),
    ] {
        s.set_fault(fault.on_path("/api/v1/payments"));
        let (_, error) = sync(&rt, &whop, DEFAULT_KEY, None, &options(false));
        let e = error.expect("broken");
        assert_eq!(e.class, FailureClass::UnexpectedData, "{e}");
        assert!(e.to_string().contains(page), "{e}");
        s.clear_faults();
    }
    // A 429 streak longer than the retries: a rate limit, with the wait the server asked for.
    s.set_fault(
        Fault::too_many_requests(1)
            .on_path("/api/v1/payments")
            .forever(),
    );
    let impatient = Whop::with_config(
        Url::parse(&s.base_url()).unwrap(),
        ClientConfig {
            retries: 1,
            ..Whop::client_config()
        },
    )
    .unwrap();
    let (_, error) = sync(&rt, &impatient, DEFAULT_KEY, None, &options(false));
    let e = error.expect("throttled");
    assert_eq!(e.class, FailureClass::RateLimit, "{e}");
    assert_eq!(e.retry_after, Some(Duration::from_secs(1)));
}

#[test]
fn a_dispute_of_an_old_payment_arrives_as_a_chargeback_and_a_won_one_sets_it_to_zero() {
    let s = standin(300, 21);
    let whop = connector(&s);
    let rt = runtime();
    let (first, error) = sync(&rt, &whop, DEFAULT_KEY, None, &options(false));
    assert!(error.is_none(), "{error:?}");
    let cursor = first.last().unwrap().cursor.clone();
    let old = s
        .payments()
        .into_iter()
        .rev()
        .find(|p| p.moved_money() && p.refunded_amount == 0 && p.dispute.is_none())
        .unwrap();
    s.dispute(&old.id, DisputeOutcome::NeedsResponse).unwrap();
    let (second, error) = sync(&rt, &whop, DEFAULT_KEY, Some(cursor), &options(false));
    assert!(error.is_none(), "{error:?}");
    let chargeback = &by_id(&second)[&format!("{}:chargeback", old.id)];
    assert_eq!(
        (chargeback.kind, chargeback.gross_minor),
        (EventKind::Chargeback, -old.total())
    );
    s.dispute(&old.id, DisputeOutcome::Won).unwrap();
    let (third, error) = sync(
        &rt,
        &whop,
        DEFAULT_KEY,
        Some(second.last().unwrap().cursor.clone()),
        &options(false),
    );
    assert!(error.is_none(), "{error:?}");
    assert_eq!(
        by_id(&third)[&format!("{}:chargeback", old.id)].gross_minor,
        0
    );
}
