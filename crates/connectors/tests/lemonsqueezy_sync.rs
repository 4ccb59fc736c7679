//! The Lemon Squeezy connector against the Lemon Squeezy stand-in (shared/contracts/platform-apis.md
//! §4): a backfill brings the stand-in's own totals per currency, once each; a later sync reads from
//! the newest page only until it passes the look-back and brings refunds of recent orders and new
//! orders; a sync stopped by a fault resumes from its cursor; each fault ends as its failure class,
//! in words that never hold the key.

mod common;

use common::{by_id, credential, options, runtime, sync};
use tributary_connectors::lemonsqueezy::LemonSqueezy;
use tributary_connectors::Connector;
use tributary_http::Url;
use tributary_model::{EventKind, FailureClass, NewEvent};
use tributary_standins::lemonsqueezy::{generate_orders, DEFAULT_KEY};
use tributary_standins::{Fault, LemonSqueezyConfig, LemonSqueezyStandIn, Refund, StandInOrder};

fn standin(orders: usize, seed: u64) -> LemonSqueezyStandIn {
    LemonSqueezyStandIn::spawn(LemonSqueezyConfig {
        orders: generate_orders(orders, seed, common::year_2025().0, common::year_2025().1),
        ..LemonSqueezyConfig::default()
    })
    .expect("stand-in")
}

/// The connector pointed at the stand-in, retrying after milliseconds instead of seconds.
fn connector(standin: &LemonSqueezyStandIn) -> LemonSqueezy {
    let config = common::quick_retries(LemonSqueezy::client_config());
    LemonSqueezy::with_config(Url::parse(&standin.base_url()).unwrap(), config).unwrap()
}

#[test]
fn a_backfill_brings_every_paid_order_once_with_the_standins_totals_per_currency() {
    let s = standin(250, 7);
    let ls = connector(&s);
    let rt = runtime();
    let (pages, error) = sync(&rt, &ls, DEFAULT_KEY, None, &options(false));
    assert!(error.is_none(), "{error:?}");
    // A hundred orders a page.
    assert_eq!(pages.len(), 3);
    let all: Vec<&NewEvent> = pages.iter().flat_map(|p| p.events.iter()).collect();
    let events = by_id(&pages);
    assert_eq!(
        all.len(),
        events.len(),
        "an event came twice in one backfill"
    );

    let expected = s.expected_totals();
    assert!(expected.len() >= 3, "{expected:?}");
    for (currency, want) in &expected {
        let of = |kind: EventKind| {
            events
                .values()
                .filter(move |e| e.kind == kind && e.currency.code() == currency)
        };
        assert_eq!(
            of(EventKind::Sale).count() as u64,
            want.orders,
            "{currency}"
        );
        assert_eq!(
            of(EventKind::Sale).map(|e| e.gross_minor).sum::<i64>(),
            want.total,
            "{currency}"
        );
        assert_eq!(
            -of(EventKind::Refund).map(|e| e.gross_minor).sum::<i64>(),
            want.refunded_amount,
            "{currency}"
        );
        assert!(of(EventKind::Sale).all(|e| e.fees_minor == 0 && e.net_minor == e.gross_minor));
    }
    let unpaid: u64 = expected.values().map(|t| t.unpaid_orders).sum();
    assert!(
        unpaid > 0,
        "the stand-in's data should have unpaid orders to leave out"
    );
    // The identity the orders export gives: the order's identifier.
    let first = &s.orders()[0];
    if first.status() == "paid" {
        assert!(events.contains_key(&first.identifier));
    }
    // Every request asked for the JSON:API answer a hundred at a time.
    assert!(s
        .requests()
        .iter()
        .all(|r| r.path == "/v1/orders" && r.query.contains("page%5Bsize%5D=100")));
}

#[test]
fn a_later_sync_reads_only_the_newest_pages_and_brings_refunds_and_new_orders() {
    let s = standin(450, 11);
    let ls = connector(&s);
    let rt = runtime();
    let (first, error) = sync(&rt, &ls, DEFAULT_KEY, None, &options(false));
    assert!(error.is_none(), "{error:?}");
    assert_eq!(first.len(), 5);
    let cursor = first.last().unwrap().cursor.clone();

    // A recent paid order is refunded in part; an order arrives after the sync.
    let orders = s.orders();
    let refunded = orders
        .iter()
        .find(|o| o.status() == "paid")
        .unwrap()
        .clone();
    s.refund(refunded.id, Refund::Partial(100)).unwrap();
    let newest = orders[0].created_at + chrono::Duration::hours(2);
    let new_order = s
        .add_orders([StandInOrder::new(newest, "Late Order", 1500)])
        .unwrap()
        .remove(0);

    s.clear_requests();
    let (second, error) = sync(&rt, &ls, DEFAULT_KEY, Some(cursor), &options(false));
    assert!(error.is_none(), "{error:?}");
    let later = by_id(&second);
    let refund = &later[&format!("{}:refund", refunded.identifier)];
    assert_eq!((refund.kind, refund.gross_minor), (EventKind::Refund, -100));
    assert_eq!(later[&new_order.identifier].gross_minor, 1500);
    // 450 orders over a year: the 30 days back from the newest are on the first page.
    assert_eq!(second.len(), 1, "{} pages", second.len());
    assert_eq!(s.requests().len(), 1);

    // `--full` reads everything again: every earlier event, the refund and the new order.
    let (full, error) = sync(
        &rt,
        &ls,
        DEFAULT_KEY,
        Some(second.last().unwrap().cursor.clone()),
        &options(true),
    );
    assert!(error.is_none(), "{error:?}");
    let everything = by_id(&full);
    assert!(by_id(&first).keys().all(|k| everything.contains_key(k)));
    assert!(later.keys().all(|k| everything.contains_key(k)));
}

#[test]
fn a_sync_stopped_by_a_fault_resumes_at_the_page_it_did_not_get() {
    let s = standin(350, 3);
    let ls = connector(&s);
    let rt = runtime();
    let (whole, error) = sync(&rt, &ls, DEFAULT_KEY, None, &options(false));
    assert!(error.is_none(), "{error:?}");

    let second = connector(&s);
    s.set_fault(
        Fault::server_error(503)
            .on_path("/v1/orders")
            .after(2)
            .forever(),
    );
    let (got, error) = sync(&rt, &second, DEFAULT_KEY, None, &options(false));
    let error = error.expect("the sync should stop");
    assert_eq!(got.len(), 2);
    assert_eq!(error.class, FailureClass::Transient);
    assert!(error.to_string().contains("orders page 3"), "{error}");

    s.clear_faults();
    let (rest, error) = sync(
        &rt,
        &second,
        DEFAULT_KEY,
        Some(got[1].cursor.clone()),
        &options(false),
    );
    assert!(error.is_none(), "{error:?}");
    assert_eq!(rest[0].label, "orders page 3");
    let mut resumed = by_id(&got);
    resumed.extend(by_id(&rest));
    assert_eq!(
        resumed.keys().collect::<Vec<_>>(),
        by_id(&whole).keys().collect::<Vec<_>>()
    );
}

#[test]
fn a_wrong_or_revoked_key_is_refused_in_words_without_the_key() {
    let s = standin(5, 1);
    let ls = connector(&s);
    let rt = runtime();
    let secret = "wrong-key-4f1c9e";
    let e = rt.block_on(ls.check(&credential(secret))).unwrap_err();
    assert_eq!(e.class, FailureClass::Authentication);
    assert!(
        e.to_string()
            .contains("Lemon Squeezy refused this API key (401)"),
        "{e}"
    );
    for text in [e.to_string(), format!("{e:?}")] {
        assert!(!text.contains(secret), "{text}");
    }
    let account = rt.block_on(ls.check(&credential(DEFAULT_KEY))).unwrap();
    assert_eq!(account.id, "1");
    assert!(account.name.contains('@'), "{account:?}");

    s.revoke_key(DEFAULT_KEY);
    let (pages, error) = sync(&rt, &ls, DEFAULT_KEY, None, &options(false));
    let e = error.expect("refused");
    assert!(pages.is_empty());
    assert_eq!(e.class, FailureClass::Authentication);
    for record in ls.take_records() {
        assert!(!format!("{record:?}").contains(DEFAULT_KEY));
    }
}

#[test]
fn broken_answers_are_unexpected_data_naming_the_page() {
    let s = standin(25, 2);
    let ls = connector(&s);
    let rt = runtime();
    for fault in [Fault::malformed_json(), Fault::html_page()] {
        s.set_fault(fault.on_path("/v1/orders"));
        let (_, error) = sync(&rt, &ls, DEFAULT_KEY, None, &options(false));
        let e = error.expect("broken");
        assert_eq!(e.class, FailureClass::UnexpectedData, "{e}");
        assert!(e.to_string().contains("orders page 1"), "{e}");
        s.clear_faults();
    }
}
