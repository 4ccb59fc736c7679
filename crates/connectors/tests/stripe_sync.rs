//! The Stripe connector against the Stripe stand-in (shared/contracts/platform-apis.md §3): a
//! backfill brings the stand-in's own totals per settlement currency — Stripe's fee from the balance
//! transactions, JPY without decimals, GBP converted into USD — once each, within the rate limit; a
//! later sync reads the look-back's charges, then refunds of older charges and the disputes, and
//! brings what changed; a sync stopped by a fault resumes from its cursor; a wrong, revoked or
//! under-permitted key is refused in words that never hold the key.

mod common;

use common::{by_id, credential, options, runtime, sync};
use tributary_connectors::stripe::Stripe;
use tributary_connectors::Connector;
use tributary_http::Url;
use tributary_model::{EventKind, FailureClass, NewEvent};
use tributary_standins::stripe::{generate_charges, Permission, DEFAULT_KEY};
use tributary_standins::{Fault, Refund, StandInCharge, StripeConfig, StripeStandIn};

fn standin(charges: usize, seed: u64) -> StripeStandIn {
    StripeStandIn::spawn(StripeConfig {
        charges: generate_charges(charges, seed, common::year_2025().0, common::year_2025().1),
        ..StripeConfig::default()
    })
    .expect("stand-in")
}

/// The connector pointed at the stand-in, retrying after milliseconds instead of seconds.
fn connector(standin: &StripeStandIn) -> Stripe {
    let config = common::quick_retries(Stripe::client_config());
    Stripe::with_config(Url::parse(&standin.base_url()).unwrap(), config).unwrap()
}

fn sum(events: &[&NewEvent]) -> i64 {
    events.iter().map(|e| e.gross_minor).sum()
}

#[test]
fn a_backfill_brings_every_charge_once_with_the_standins_totals_per_settlement_currency() {
    let s = standin(1200, 7);
    let stripe = connector(&s);
    let rt = runtime();
    let (pages, error) = sync(&rt, &stripe, DEFAULT_KEY, None, &options(false));
    assert!(error.is_none(), "{error:?}");
    // A hundred charges a page, then the disputes (fewer than a hundred): no refunds phase.
    assert_eq!(pages.len(), 13);
    assert_eq!(pages.last().unwrap().label, "disputes page 1");
    let all: Vec<&NewEvent> = pages.iter().flat_map(|p| p.events.iter()).collect();
    let events = by_id(&pages);
    assert_eq!(
        all.len(),
        events.len(),
        "an event came twice in one backfill"
    );

    let expected = s.expected_totals();
    assert_eq!(
        expected.keys().map(String::as_str).collect::<Vec<_>>(),
        ["eur", "jpy", "usd"]
    );
    for (currency, want) in &expected {
        let of = |kind: EventKind| -> Vec<&NewEvent> {
            events
                .values()
                .filter(|e| e.kind == kind && e.currency.code().eq_ignore_ascii_case(currency))
                .collect()
        };
        let sales = of(EventKind::Sale);
        assert_eq!(sales.len() as u64, want.charges, "{currency}");
        assert_eq!(sum(&sales), want.amount, "{currency}");
        assert_eq!(
            sales.iter().map(|e| e.fees_minor).sum::<i64>(),
            want.fee,
            "{currency}"
        );
        assert_eq!(
            sales.iter().map(|e| e.net_minor).sum::<i64>(),
            want.net,
            "{currency}"
        );
        let refunds = of(EventKind::Refund);
        assert_eq!(refunds.len() as u64, want.refunded_charges, "{currency}");
        assert_eq!(-sum(&refunds), want.refunded, "{currency}");
        let chargebacks = of(EventKind::Chargeback);
        assert_eq!(-sum(&chargebacks), want.disputed, "{currency}");
        assert_eq!(
            chargebacks.len() as u64,
            want.open_or_lost_disputes + want.won_disputes,
            "{currency}: a won dispute is a chargeback of 0"
        );
    }
    assert!(expected.values().map(|t| t.unpaid_charges).sum::<u64>() > 0);
    assert!(expected.values().map(|t| t.won_disputes).sum::<u64>() > 0);
    // JPY has no minor units: the yen are as Stripe wrote them.
    let yen = s
        .charges()
        .into_iter()
        .find(|c| {
            c.currency == "jpy"
                && c.refunds.is_empty()
                && c.status == tributary_standins::stripe::ChargeStatus::Succeeded
        })
        .unwrap();
    assert_eq!(events[&yen.id].gross_minor, yen.amount);
    // A GBP charge is booked as the USD it settled as.
    let pound = s
        .charges()
        .into_iter()
        .find(|c| {
            c.currency == "gbp" && c.status == tributary_standins::stripe::ChargeStatus::Succeeded
        })
        .unwrap();
    assert_eq!(
        (
            events[&pound.id].currency.code(),
            events[&pound.id].gross_minor
        ),
        ("USD", pound.balance().0)
    );
    // Within 25 requests a second, every one pinned to the API version.
    assert_eq!(s.stats().rate_limit_violations, 0);
    assert!(s.requests().iter().all(|r| r.query.contains("limit=100")));
}

#[test]
fn a_later_sync_reads_the_look_back_then_refunds_of_older_charges_and_disputes() {
    let s = standin(600, 11);
    let stripe = connector(&s);
    let rt = runtime();
    let (first, error) = sync(&rt, &stripe, DEFAULT_KEY, None, &options(false));
    assert!(error.is_none(), "{error:?}");
    let cursor = first.last().unwrap().cursor.clone();

    // An old charge is refunded in part, a recent one disputed, and a charge arrives after the sync.
    let charges = s.charges();
    let untouched = |c: &&StandInCharge| {
        c.status == tributary_standins::stripe::ChargeStatus::Succeeded
            && c.refunds.is_empty()
            && c.dispute.is_none()
            && c.currency == "usd"
    };
    let old = charges.iter().rev().find(untouched).unwrap().clone();
    let recent = charges.iter().find(untouched).unwrap().clone();
    s.refund(&old.id, Refund::Partial(150)).unwrap();
    s.dispute(&recent.id).unwrap();
    let newest = charges[0].created + chrono::Duration::hours(2);
    let new = s
        .add_charges([StandInCharge::new(newest, "Late Charge", 1500)])
        .unwrap()
        .remove(0);

    s.clear_requests();
    let (second, error) = sync(&rt, &stripe, DEFAULT_KEY, Some(cursor), &options(false));
    assert!(error.is_none(), "{error:?}");
    let labels: Vec<&str> = second.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(
        labels,
        ["charges page 1", "refunds page 1", "disputes page 1"]
    );
    let later = by_id(&second);
    assert_eq!(later[&format!("{}:refund", old.id)].gross_minor, -150);
    assert_eq!(
        later[&format!("{}:chargeback", recent.id)].gross_minor,
        -recent.amount
    );
    assert_eq!(
        (later[&new.id].gross_minor, later[&new.id].fees_minor),
        (1500, 74)
    );
    // Read again: the old charge, and only charges from before the window with a refund in it.
    let window = charges[0].created - chrono::Duration::days(30);
    let reread: Vec<String> = s
        .requests()
        .into_iter()
        .filter_map(|r| r.path.strip_prefix("/v1/charges/").map(str::to_owned))
        .collect();
    assert!(reread.contains(&old.id), "{reread:?}");
    for id in &reread {
        let c = s.charge(id).unwrap();
        assert!(
            c.created < window && c.refunds.iter().any(|r| r.created >= window),
            "{id}"
        );
    }

    // Won later: the chargeback comes back as 0.
    s.close_dispute(&recent.id, true).unwrap();
    let (third, error) = sync(
        &rt,
        &stripe,
        DEFAULT_KEY,
        Some(second.last().unwrap().cursor.clone()),
        &options(false),
    );
    assert!(error.is_none(), "{error:?}");
    assert_eq!(
        by_id(&third)[&format!("{}:chargeback", recent.id)].gross_minor,
        0
    );
}

#[test]
fn a_sync_stopped_by_a_fault_resumes_at_the_page_it_did_not_get_and_new_charges_shift_nothing() {
    let s = standin(450, 3);
    let stripe = connector(&s);
    let rt = runtime();
    let (whole, error) = sync(&rt, &stripe, DEFAULT_KEY, None, &options(false));
    assert!(error.is_none(), "{error:?}");

    // A charge arriving after the first page is newer than everything: it waits for the next run,
    // and no page moves.
    s.set_fault(Fault::insert_newest_sale().on_path("/v1/charges").after(1));
    let (moved, error) = sync(&rt, &connector(&s), DEFAULT_KEY, None, &options(false));
    assert!(error.is_none(), "{error:?}");
    assert_eq!(s.applied_changes().len(), 1);
    let all: Vec<&NewEvent> = moved.iter().flat_map(|p| p.events.iter()).collect();
    assert_eq!(all.len(), by_id(&moved).len(), "an event came twice");
    assert!(
        by_id(&moved).keys().eq(by_id(&whole).keys()),
        "the run with an arrival differs"
    );

    let second = connector(&s);
    s.set_fault(
        Fault::server_error(503)
            .on_path("/v1/charges")
            .after(2)
            .forever(),
    );
    let (got, error) = sync(&rt, &second, DEFAULT_KEY, None, &options(false));
    let error = error.expect("the sync should stop");
    assert_eq!(
        got.len(),
        2,
        "{:?}",
        got.iter().map(|p| &p.label).collect::<Vec<_>>()
    );
    assert_eq!(error.class, FailureClass::Transient);
    assert!(error.to_string().contains("charges page 3"), "{error}");

    s.clear_faults();
    let (rest, error) = sync(
        &rt,
        &second,
        DEFAULT_KEY,
        Some(got[1].cursor.clone()),
        &options(false),
    );
    assert!(error.is_none(), "{error:?}");
    assert_eq!(rest[0].label, "charges page 3");
    let all: Vec<&NewEvent> = got
        .iter()
        .chain(&rest)
        .flat_map(|p| p.events.iter())
        .collect();
    let mut resumed = by_id(&got);
    resumed.extend(by_id(&rest));
    assert_eq!(all.len(), resumed.len(), "a page was read twice");
    // Everything now there (the whole first run and the charge that arrived), once.
    let (now, _) = sync(&rt, &connector(&s), DEFAULT_KEY, None, &options(false));
    let (want, got) = (by_id(&now), resumed);
    assert!(
        want.keys().eq(got.keys()),
        "{} events resumed, {} there",
        got.len(),
        want.len()
    );
    assert_eq!(want.len(), by_id(&whole).len() + 1);
}

#[test]
fn a_wrong_revoked_or_underpermitted_key_is_refused_in_words_without_the_key() {
    let s = standin(5, 1);
    let stripe = connector(&s);
    let rt = runtime();
    let secret = "rk_test_wrongKey4f1c9e";
    let e = rt.block_on(stripe.check(&credential(secret))).unwrap_err();
    assert_eq!(e.class, FailureClass::Authentication);
    assert!(
        e.to_string().contains("Stripe refused this key (401)"),
        "{e}"
    );
    for text in [e.to_string(), format!("{e:?}")] {
        assert!(!text.contains(secret) && !text.contains("4f1c9e"), "{text}");
    }
    let account = rt.block_on(stripe.check(&credential(DEFAULT_KEY))).unwrap();
    assert_eq!(account.id, tributary_standins::stripe::ACCOUNT_ID);
    assert_eq!(account.name, "Stand-in Creator");

    // A restricted key without balance transactions: refused at the check, naming what it needs.
    let narrow = "rk_test_narrowKey000001";
    s.add_key(
        narrow,
        &[
            Permission::Charges,
            Permission::Refunds,
            Permission::Disputes,
        ],
    );
    let e = rt.block_on(stripe.check(&credential(narrow))).unwrap_err();
    assert_eq!(e.class, FailureClass::Configuration);
    assert!(
        e.to_string()
            .contains("rak_balance_transaction_source_read"),
        "{e}"
    );
    assert!(!e.to_string().contains("narrowKey"), "{e}");
    // Without the account permission it still connects, known by its mode.
    let no_account = "rk_test_noAccount000002";
    s.add_key(
        no_account,
        &[
            Permission::Charges,
            Permission::Refunds,
            Permission::Disputes,
            Permission::BalanceTransactions,
        ],
    );
    let account = rt.block_on(stripe.check(&credential(no_account))).unwrap();
    assert_eq!(account.id, "stripe-test");

    s.revoke_key(DEFAULT_KEY);
    let (pages, error) = sync(&rt, &stripe, DEFAULT_KEY, None, &options(false));
    let e = error.expect("refused");
    assert!(pages.is_empty());
    assert_eq!(e.class, FailureClass::Authentication);
    for record in stripe.take_records() {
        assert!(!format!("{record:?}").contains(DEFAULT_KEY));
    }
}

#[test]
fn broken_answers_are_unexpected_data_naming_the_page() {
    let s = standin(25, 2);
    let stripe = connector(&s);
    let rt = runtime();
    for fault in [Fault::malformed_json(), Fault::html_page()] {
        s.set_fault(fault.on_path("/v1/charges"));
        let (_, error) = sync(&rt, &stripe, DEFAULT_KEY, None, &options(false));
        let e = error.expect("broken");
        assert_eq!(e.class, FailureClass::UnexpectedData, "{e}");
        assert!(e.to_string().contains("charges page 1"), "{e}");
        s.clear_faults();
    }
}
