//! The Gumroad connector against the Gumroad stand-in (shared/contracts/platform-apis.md §1): a
//! backfill brings the stand-in's own totals, once each; a later sync re-reads only its look-back and
//! brings refunds of old sales and new sales; a sync stopped by a fault resumes from its cursor; each
//! fault ends as its failure class, in words that never hold the token.

mod common;

use std::time::Duration;

use common::{by_id, credential, options, runtime, sync};
use std::collections::BTreeMap;
use tributary_connectors::gumroad::Gumroad;
use tributary_connectors::Connector;
use tributary_http::Url;
use tributary_model::{EventKind, FailureClass, NewEvent};
use tributary_standins::gumroad::DEFAULT_TOKEN;
use tributary_standins::{Fault, GumroadConfig, GumroadStandIn, Refund, StandInSale};

fn standin(sales: usize, seed: u64) -> GumroadStandIn {
    GumroadStandIn::spawn(GumroadConfig::with_generated_sales(
        sales,
        seed,
        common::year_2025().0,
        common::year_2025().1,
    ))
    .expect("stand-in")
}

/// The connector pointed at the stand-in, retrying after milliseconds instead of seconds.
fn connector(standin: &GumroadStandIn) -> Gumroad {
    let config = common::quick_retries(Gumroad::client_config());
    Gumroad::with_config(Url::parse(&standin.base_url()).unwrap(), config).unwrap()
}

fn sum(events: &BTreeMap<String, NewEvent>, kind: EventKind, f: fn(&NewEvent) -> i64) -> i64 {
    events.values().filter(|e| e.kind == kind).map(f).sum()
}

#[test]
fn a_backfill_brings_every_sale_once_with_the_standins_totals() {
    let s = standin(123, 7);
    let gumroad = connector(&s);
    let rt = runtime();
    let (pages, error) = sync(&rt, &gumroad, DEFAULT_TOKEN, None, &options(false));
    assert!(error.is_none(), "{error:?}");
    // Ten sales a page, newest first (§1.3).
    assert_eq!(pages.len(), 13);
    assert!(pages.last().unwrap().done && pages[..12].iter().all(|p| !p.done));
    let all: Vec<&NewEvent> = pages.iter().flat_map(|p| p.events.iter()).collect();
    let events = by_id(&pages);
    assert_eq!(
        all.len(),
        events.len(),
        "an event came twice in one backfill"
    );

    let expected = &s.expected_totals()["USD"];
    assert_eq!(expected.sales, 123);
    assert!(expected.full_refunds > 0 && expected.partial_refunds > 0 && expected.chargebacks > 0);
    let sales = events
        .values()
        .filter(|e| e.kind == EventKind::Sale)
        .count();
    assert_eq!(sales as u64, expected.sales);
    assert_eq!(
        sum(&events, EventKind::Sale, |e| e.gross_minor),
        expected.price_cents
    );
    assert_eq!(
        sum(&events, EventKind::Sale, |e| e.fees_minor),
        expected.gumroad_fee_cents
    );
    assert_eq!(
        -sum(&events, EventKind::Chargeback, |e| e.gross_minor),
        expected.chargeback_cents
    );
    assert!(events.values().all(|e| e.currency.code() == "USD"));
    assert!(events.values().all(|e| e.account == "main"));

    // Refunds: exact where the API gives the amount in USD; a partial refund shown in another currency
    // is only known to one unit of that currency (the API rounds what is left), so each may be off by
    // the USD worth of one such unit.
    let refunds = -sum(&events, EventKind::Refund, |e| e.gross_minor);
    let exact = expected.refunded_cents + expected.partial_refunded_cents_other_currency;
    let slack: i64 = s
        .sales()
        .iter()
        .filter(|x| x.is_partially_refunded() && x.currency != "usd")
        .map(|x: &StandInSale| x.price_cents / x.display_price_minor.max(1) + 1)
        .sum();
    assert!(
        (refunds - exact).abs() <= slack,
        "refunds {refunds}, the stand-in's {exact}, slack {slack}"
    );
    let usd_refunds: i64 = s
        .sales()
        .iter()
        .filter(|x| x.currency == "usd" && (x.is_refunded() || x.is_partially_refunded()))
        .map(|x| {
            let id = format!("{}:refund", x.id);
            -events.get(&id).map_or(0, |e| e.gross_minor)
        })
        .sum();
    let usd_expected: i64 = s
        .sales()
        .iter()
        .filter(|x| x.currency == "usd")
        .map(|x| {
            if x.is_refunded() {
                x.price_cents
            } else if x.is_partially_refunded() {
                x.refunded_cents
            } else {
                0
            }
        })
        .sum();
    assert_eq!(usd_refunds, usd_expected);
}

#[test]
fn a_later_sync_reads_its_lookback_and_brings_refunds_and_new_sales() {
    let s = standin(60, 11);
    let gumroad = connector(&s);
    let rt = runtime();
    let (first, error) = sync(&rt, &gumroad, DEFAULT_TOKEN, None, &options(false));
    assert!(error.is_none(), "{error:?}");
    let cursor = first.last().unwrap().cursor.clone();

    // The newest sale not yet refunded gets a full refund; a sale arrives after the sync.
    let mut sales = s.sales();
    sales.sort_by_key(|x| x.created_at);
    let refunded = sales
        .iter()
        .rev()
        .find(|x| !x.is_refunded() && !x.is_partially_refunded() && !x.is_chargedback())
        .unwrap()
        .clone();
    s.refund(&refunded.id, Refund::Full).unwrap();
    let newest = sales.last().unwrap().created_at + chrono::Duration::hours(2);
    let new_sale = s
        .add_sales([StandInSale::new(newest, "Late Sale", 1500).fee(255)])
        .unwrap()
        .remove(0);

    s.clear_requests();
    let (second, error) = sync(&rt, &gumroad, DEFAULT_TOKEN, Some(cursor), &options(false));
    assert!(error.is_none(), "{error:?}");
    let later = by_id(&second);
    let refund = &later[&format!("{}:refund", refunded.id)];
    assert_eq!(refund.kind, EventKind::Refund);
    assert_eq!(refund.gross_minor, -refunded.price_cents);
    assert_eq!(later[&new_sale.id].gross_minor, 1500);
    assert_eq!(later[&new_sale.id].fees_minor, 255);
    // Only the look-back was read: from 30 days before the newest sale, not the whole year.
    let requests = s.requests();
    let day = (sales.last().unwrap().created_at - chrono::Duration::days(30)).format("%Y-%m-%d");
    assert!(requests
        .iter()
        .all(|r| r.path == "/v2/sales" && r.query.contains(&format!("after={day}"))));
    assert!(second.len() < first.len(), "{} pages", second.len());

    // `--full` reads everything again: every earlier event, the refund and the new sale, nothing lost.
    let (full, error) = sync(
        &rt,
        &gumroad,
        DEFAULT_TOKEN,
        Some(second.last().unwrap().cursor.clone()),
        &options(true),
    );
    assert!(error.is_none(), "{error:?}");
    let everything = by_id(&full);
    let earlier = by_id(&first);
    assert!(earlier.keys().all(|k| everything.contains_key(k)));
    assert!(later.keys().all(|k| everything.contains_key(k)));
}

#[test]
fn a_sync_stopped_by_a_fault_resumes_at_the_page_it_did_not_get() {
    let s = standin(45, 3);
    let gumroad = connector(&s);
    let rt = runtime();
    let (whole, error) = sync(&rt, &gumroad, DEFAULT_TOKEN, None, &options(false));
    assert!(error.is_none(), "{error:?}");

    // A fresh start on a second connector: pages 1 and 2 pass, then 503s beyond the retries.
    let second = connector(&s);
    s.set_fault(
        Fault::server_error(503)
            .on_path("/v2/sales")
            .after(2)
            .forever(),
    );
    let (got, error) = sync(&rt, &second, DEFAULT_TOKEN, None, &options(false));
    let error = error.expect("the sync should stop");
    assert_eq!(got.len(), 2);
    assert_eq!(error.class, FailureClass::Transient);
    assert!(error.to_string().contains("sales page 3"), "{error}");
    assert!(error.to_string().contains("503"), "{error}");
    let records = second.take_records();
    assert_eq!(records.last().unwrap().retries, 4, "{records:?}");

    s.clear_faults();
    let (rest, error) = sync(
        &rt,
        &second,
        DEFAULT_TOKEN,
        Some(got[1].cursor.clone()),
        &options(false),
    );
    assert!(error.is_none(), "{error:?}");
    assert_eq!(rest[0].label, "sales page 3");
    let mut resumed = by_id(&got);
    resumed.extend(by_id(&rest));
    assert_eq!(
        resumed.keys().collect::<Vec<_>>(),
        by_id(&whole).keys().collect::<Vec<_>>()
    );
}

#[test]
fn a_wrong_or_revoked_token_is_refused_in_words_without_the_token() {
    let s = standin(5, 1);
    let gumroad = connector(&s);
    let rt = runtime();
    let secret = "wrong-token-4f1c9e";
    let e = rt.block_on(gumroad.check(&credential(secret))).unwrap_err();
    assert_eq!(e.class, FailureClass::Authentication);
    assert!(
        e.to_string().contains("Gumroad refused this token (401)"),
        "{e}"
    );
    for text in [e.to_string(), format!("{e:?}")] {
        assert!(!text.contains(secret), "{text}");
    }

    let account = rt
        .block_on(gumroad.check(&credential(DEFAULT_TOKEN)))
        .unwrap();
    assert!(
        !account.id.is_empty() && account.name.contains('@'),
        "{account:?}"
    );

    s.revoke_token(DEFAULT_TOKEN);
    let (pages, error) = sync(&rt, &gumroad, DEFAULT_TOKEN, None, &options(false));
    let e = error.expect("refused");
    assert!(pages.is_empty());
    assert_eq!(e.class, FailureClass::Authentication);
    for text in [e.to_string(), format!("{e:?}")] {
        assert!(!text.contains(DEFAULT_TOKEN), "{text}");
    }
    for record in gumroad.take_records() {
        assert!(!format!("{record:?}").contains(DEFAULT_TOKEN));
    }
}

#[test]
fn a_token_without_view_sales_is_told_the_scope_it_needs() {
    let s = standin(5, 1);
    s.add_token("no-sales-scope", &["edit_products"]);
    let gumroad = connector(&s);
    let rt = runtime();
    let e = rt
        .block_on(gumroad.fetch(&credential("no-sales-scope"), None, &options(false)))
        .unwrap_err();
    // The token works; it may not read sales: check its permissions, not reconnect.
    assert_eq!(e.class, FailureClass::Configuration, "{e}");
    assert!(e.to_string().contains("needs the view_sales scope"), "{e}");
}

#[test]
fn broken_answers_are_unexpected_data_naming_the_page() {
    let s = standin(25, 2);
    let gumroad = connector(&s);
    let rt = runtime();
    for fault in [Fault::malformed_json(), Fault::html_page()] {
        s.set_fault(fault.on_path("/v2/sales"));
        let (_, error) = sync(&rt, &gumroad, DEFAULT_TOKEN, None, &options(false));
        let e = error.expect("broken");
        assert_eq!(e.class, FailureClass::UnexpectedData, "{e}");
        assert!(e.to_string().contains("sales page 1"), "{e}");
        s.clear_faults();
    }
}

#[test]
fn a_429_with_retry_after_is_waited_out_and_recorded() {
    let s = standin(15, 5);
    let gumroad = connector(&s);
    let rt = runtime();
    s.set_fault(Fault::too_many_requests(1).on_path("/v2/sales").times(1));
    let (pages, error) = sync(&rt, &gumroad, DEFAULT_TOKEN, None, &options(false));
    assert!(error.is_none(), "{error:?}");
    assert_eq!(pages.len(), 2);
    let records = gumroad.take_records();
    assert_eq!(records.len(), 2, "{records:?}");
    assert_eq!((records[0].status, records[0].retries), (Some(200), 1));
    // Retry-After: 1 second, not the 5 ms backoff.
    assert!(
        records[0].duration >= Duration::from_millis(900),
        "{records:?}"
    );
}
