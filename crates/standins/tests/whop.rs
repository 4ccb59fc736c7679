//! The Whop stand-in: the cursor envelope walked to the end in both directions, the filters, the
//! Stainless-style 401/400/404 errors and revoked keys, amounts as exact major-unit numbers, a refund
//! that moves `updated_at` (so `updated_after` finds it), 100 requests per 10 s with `Retry-After`,
//! expected totals, and the shared faults.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::{client, utc};
use serde_json::Value;
use tributary_standins::whop::{Status, DEFAULT_KEY};
use tributary_standins::{
    generate_payments, Fault, Refund, StandInError, StandInPayment, WhopConfig, WhopStandIn,
    WhopTotals,
};

fn standin(n: usize) -> WhopStandIn {
    WhopStandIn::spawn(WhopConfig {
        payments: generate_payments(n, 7, utc(2025, 1, 1, 0, 0, 0), utc(2025, 12, 31, 0, 0, 0)),
        ..WhopConfig::default()
    })
    .unwrap()
}

fn get(url: &str) -> reqwest::blocking::Response {
    client()
        .get(url)
        .bearer_auth(DEFAULT_KEY)
        .header("Api-Version-Date", "2026-07-20")
        .send()
        .unwrap()
}

fn get_json(url: &str) -> Value {
    let r = get(url);
    assert_eq!(r.status(), 200, "{url}");
    r.json().unwrap()
}

/// Every page from `query`, following `page_info.end_cursor` while `has_next_page`.
fn walk(s: &WhopStandIn, query: &str) -> Vec<Value> {
    let mut pages: Vec<Value> = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut url = format!("{}/payments?{query}", s.base_url());
        if let Some(a) = &after {
            url.push_str(&format!("&after={}", urlencode(a)));
        }
        let page = get_json(&url);
        let info = page["page_info"].clone();
        pages.push(page);
        if !info["has_next_page"].as_bool().unwrap() {
            return pages;
        }
        after = Some(info["end_cursor"].as_str().unwrap().to_owned());
        assert!(pages.len() < 500);
    }
}

/// `2025-06-01T00:00:00.000Z`: no `+` for a query string to turn into a space.
fn iso(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn urlencode(text: &str) -> String {
    text.replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D")
}

fn ids(pages: &[Value]) -> Vec<String> {
    pages
        .iter()
        .flat_map(|p| {
            p["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["id"].as_str().unwrap().to_owned())
        })
        .collect()
}

#[test]
fn cursor_pages_walk_every_payment_once_in_either_direction() {
    let s = standin(57);
    let pages = walk(&s, "first=10&order=created_at&direction=asc");
    assert_eq!(pages.len(), 6);
    let info = &pages[0]["page_info"];
    assert_eq!(info["start_cursor"], "MQ==");
    assert_eq!(info["end_cursor"], "MTA=");
    assert_eq!(info["has_previous_page"], false);
    assert_eq!(pages[1]["page_info"]["has_previous_page"], true);
    let last = &pages[5];
    assert_eq!(last["data"].as_array().unwrap().len(), 7);
    // The last page still names its last item; the page after it is empty with null cursors.
    assert_eq!(last["page_info"]["end_cursor"], "NTc=");
    assert_eq!(last["page_info"]["has_next_page"], false);
    let past = get_json(&format!("{}/payments?first=10&after=NTc%3D", s.base_url()));
    assert_eq!(past["data"], Value::Array(vec![]));
    assert_eq!(past["page_info"]["end_cursor"], Value::Null);

    let oldest_first = ids(&pages);
    let expected: Vec<String> = s.payments().iter().map(|p| p.id.clone()).collect();
    assert_eq!(oldest_first, expected);
    assert_eq!(oldest_first.iter().collect::<HashSet<_>>().len(), 57);
    // Default: newest first, ten a page.
    let page = get_json(&format!("{}/payments", s.base_url()));
    assert_eq!(page["data"].as_array().unwrap().len(), 10);
    assert_eq!(page["data"][0]["id"], expected[56].as_str());
    let mut newest_first = ids(&walk(&s, "first=100"));
    newest_first.reverse();
    assert_eq!(newest_first, expected);
    // Backward: the 3 before position 20.
    let back = get_json(&format!(
        "{}/payments?last=3&before=MjA%3D&direction=asc",
        s.base_url()
    ));
    assert_eq!(ids(std::slice::from_ref(&back)), expected[16..19].to_vec());
    assert_eq!(back["page_info"]["start_cursor"], "MTc=");
}

#[test]
fn filters_select_by_time_status_and_currency() {
    let s = standin(120);
    let all = s.payments();
    let mid = all[60].created_at;
    let after = walk(
        &s,
        &format!("first=100&direction=asc&created_after={}", iso(mid)),
    );
    assert_eq!(
        ids(&after),
        all[61..].iter().map(|p| p.id.clone()).collect::<Vec<_>>()
    );
    let paid = walk(&s, "first=100&statuses[]=paid");
    let paid_ids: HashSet<String> = ids(&paid).into_iter().collect();
    assert_eq!(
        paid_ids,
        all.iter()
            .filter(|p| p.status == Status::Paid)
            .map(|p| p.id.clone())
            .collect()
    );
    let unpaid = walk(
        &s,
        "first=100&statuses[]=open&statuses[]=void&statuses[]=pending",
    );
    assert!(unpaid
        .iter()
        .flat_map(|p| p["data"].as_array().unwrap().clone())
        .all(|p| ["open", "void", "pending"].contains(&p["status"].as_str().unwrap())));
    let yen = walk(&s, "first=100&currencies[]=jpy");
    assert!(yen
        .iter()
        .flat_map(|p| p["data"].as_array().unwrap().clone())
        .all(|p| p["currency"] == "jpy"));
}

#[test]
fn a_refund_moves_updated_at_so_updated_after_finds_it() {
    let at = utc(2025, 3, 1, 12, 0, 0);
    let s = WhopStandIn::spawn(WhopConfig::default()).unwrap();
    let added = s
        .add_payments([
            StandInPayment::new(at, "Course", 1999),
            StandInPayment::new(at + chrono::Duration::hours(1), "Yen", 1200).in_currency("jpy"),
        ])
        .unwrap();
    let body = get(&format!("{}/payments?direction=asc", s.base_url()))
        .text()
        .unwrap();
    // Exact major units, written from minor units.
    assert!(body.contains(r#""total":19.99"#), "{body}");
    assert!(body.contains(r#""total":1200.0"#), "{body}");
    assert!(body.contains(r#""currency":"jpy""#), "{body}");
    let since = iso(utc(2025, 6, 1, 0, 0, 0));
    let url = format!("{}/payments?updated_after={since}", s.base_url());
    assert_eq!(get_json(&url)["data"], Value::Array(vec![]));

    let refunded = s.refund(&added[0].id, Refund::Partial(999)).unwrap();
    assert!(refunded.updated_at > utc(2025, 6, 1, 0, 0, 0));
    let page = get_json(&url);
    let p = &page["data"][0];
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    assert_eq!(p["id"], added[0].id.as_str());
    assert_eq!(p["status"], "paid");
    assert_eq!(p["substatus"], "partially_refunded");
    assert_eq!(p["refunded_amount"].as_f64(), Some(9.99));
    assert!(p["refunded_at"].as_str().unwrap().ends_with('Z'));
    assert_ne!(p["updated_at"], p["created_at"]);
    s.refund(&added[0].id, Refund::Full).unwrap();
    let one = get_json(&format!("{}/payments/{}", s.base_url(), added[0].id));
    assert_eq!(one["substatus"], "refunded");
    assert_eq!(one["refunded_amount"].as_f64(), Some(19.99));
    assert_eq!(one["refundable"], false);
}

#[test]
fn errors_are_stainless_style_and_revoked_keys_get_401() {
    let s = standin(5);
    let r = client()
        .get(format!("{}/payments", s.base_url()))
        .send()
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.json::<Value>().unwrap()["error"]["type"], "unauthorized");
    for query in [
        "first=101",
        "first=0",
        "after=%21%21",
        "statuses[]=refunded",
        "order=price",
        "direction=sideways",
        "created_after=last-tuesday",
    ] {
        let r = get(&format!("{}/payments?{query}", s.base_url()));
        assert_eq!(r.status(), 400, "{query}");
        let body: Value = r.json().unwrap();
        assert_eq!(body["error"]["type"], "bad_request", "{query}");
        assert!(body["error"]["message"].is_string());
    }
    assert_eq!(
        get(&format!("{}/payments/pay_nope", s.base_url())).status(),
        404
    );
    assert_eq!(get(&format!("{}/refunds", s.base_url())).status(), 404);
    let me = get_json(&format!("{}/accounts/me", s.base_url()));
    assert!(me["id"].as_str().unwrap().starts_with("biz_"));
    assert_eq!(me["title"], s.company().title.as_str());

    assert!(s.revoke_key(DEFAULT_KEY));
    let r = get(&format!("{}/accounts/me", s.base_url()));
    assert_eq!(r.status(), 401);
    assert!(r.json::<Value>().unwrap()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("revoked"));
}

#[test]
fn expected_totals_count_only_payments_where_money_moved() {
    let at = |d| utc(2025, 5, d, 8, 0, 0);
    let payments = vec![
        StandInPayment::new(at(1), "A", 1000).with_fees(100),
        StandInPayment::new(at(2), "B", 2000)
            .with_fees(200)
            .refunded_by(2000),
        StandInPayment::new(at(3), "C", 3000)
            .with_fees(300)
            .refunded_by(500),
        StandInPayment::new(at(4), "D", 4000).status(Status::Open),
        StandInPayment::new(at(5), "E", 1000)
            .in_currency("eur")
            .taxed(2000)
            .with_fees(50),
        StandInPayment::new(at(6), "F", 0),
    ];
    let s = WhopStandIn::spawn(WhopConfig {
        payments,
        ..WhopConfig::default()
    })
    .unwrap();
    let totals = s.expected_totals();
    assert_eq!(
        totals["usd"],
        WhopTotals {
            payments: 3,
            subtotal: 6000,
            total: 6000,
            fees: 600,
            amount_after_fees: 5400,
            refunded_amount: 2500,
            refunds: 1,
            partial_refunds: 1,
            no_money_payments: 2,
            ..Default::default()
        }
    );
    // Whop remits the VAT: it is part of what the payment leaves after fees.
    assert_eq!(
        totals["eur"],
        WhopTotals {
            payments: 1,
            subtotal: 1000,
            tax_amount: 200,
            total: 1200,
            fees: 250,
            amount_after_fees: 950,
            ..Default::default()
        }
    );
    let open = s.payments()[3].id.clone();
    assert_eq!(
        s.refund(&open, Refund::Full),
        Err(StandInError::NotPaid(open.clone()))
    );
    // Free payments are left out unless asked for.
    assert_eq!(ids(&walk(&s, "first=100")).len(), 5);
    assert_eq!(ids(&walk(&s, "first=100&include_free=true")).len(), 6);

    let admin: Value = client()
        .get(format!("{}/expected_totals", s.admin_url()))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(admin["by_currency"]["usd"]["total"], 6000);
}

#[test]
fn the_limit_is_100_per_10_seconds_with_retry_after() {
    assert_eq!(
        WhopConfig::default().rate_limit,
        Some((100, Duration::from_secs(10)))
    );
    let s = WhopStandIn::spawn(WhopConfig {
        rate_limit: Some((3, Duration::from_secs(10))),
        ..WhopConfig::default()
    })
    .unwrap();
    let url = format!("{}/payments", s.base_url());
    for _ in 0..3 {
        let r = get(&url);
        assert_eq!(r.status(), 200);
        assert!(r.headers().get("x-ratelimit-remaining").is_none());
    }
    let r = get(&url);
    assert_eq!(r.status(), 429);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((9..=10).contains(&wait), "{wait}");
    assert_eq!(
        r.json::<Value>().unwrap()["error"]["type"],
        "rate_limit_exceeded"
    );
    assert_eq!(s.stats().rate_limit_violations, 1);
}

#[test]
fn faults_answer_instead_and_data_changes_between_pages() {
    let s = standin(25);
    s.push_fault(Fault::server_error(503).on_path("/api/v1/payments"));
    s.push_fault(Fault::too_many_requests(7).on_path("/api/v1/payments"));
    assert_eq!(get(&format!("{}/payments", s.base_url())).status(), 503);
    let r = get(&format!("{}/payments", s.base_url()));
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "7");

    // Oldest first, a payment made during the walk lands at the far end: nothing shifts.
    s.push_fault(
        Fault::insert_newest_sale()
            .on_path("/api/v1/payments")
            .after(1),
    );
    let walked = ids(&walk(&s, "first=10&direction=asc"));
    assert_eq!(walked.len(), 26);
    assert_eq!(walked.iter().collect::<HashSet<_>>().len(), 26);
    let inserted = s.applied_changes()[0].sale_id.clone().unwrap();
    assert_eq!(walked.last(), Some(&inserted));

    s.push_fault(Fault::refund_sale(None).on_path("/api/v1/payments"));
    let page = get_json(&format!(
        "{}/payments?updated_after={}",
        s.base_url(),
        iso(utc(2026, 1, 1, 0, 0, 0))
    ));
    let refunded = s.applied_changes()[1].sale_id.clone().unwrap();
    // The newest (made now) and the one just refunded.
    assert!(ids(&[page]).contains(&refunded));
}
