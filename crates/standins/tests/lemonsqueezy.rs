//! The Lemon Squeezy stand-in: JSON:API orders, page-number pagination (`links.next` absent on the
//! last page, `prev` on the first), filters, the 401/400/404 error documents, 300 requests a minute
//! with X-Ratelimit headers, expected totals, refunds, and the shared faults.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::{client, utc};
use serde_json::Value;
use tributary_standins::lemonsqueezy::{Payment, DEFAULT_KEY};
use tributary_standins::{
    generate_orders, Fault, LemonSqueezyConfig, LemonSqueezyStandIn, LemonSqueezyTotals, Refund,
    StandInError, StandInOrder,
};

fn standin(n: usize) -> LemonSqueezyStandIn {
    LemonSqueezyStandIn::spawn(LemonSqueezyConfig {
        orders: generate_orders(n, 7, utc(2024, 1, 1, 0, 0, 0), utc(2024, 12, 31, 0, 0, 0)),
        ..LemonSqueezyConfig::default()
    })
    .unwrap()
}

fn get(url: &str) -> reqwest::blocking::Response {
    client()
        .get(url)
        .header("Accept", "application/vnd.api+json")
        .bearer_auth(DEFAULT_KEY)
        .send()
        .unwrap()
}

/// Every page from `first`, following `links.next`.
fn walk(first: &str) -> Vec<Value> {
    let mut pages = Vec::new();
    let mut next = Some(first.to_owned());
    while let Some(url) = next {
        let r = get(&url);
        assert_eq!(r.status(), 200, "{url}");
        assert_eq!(r.headers()["content-type"], "application/vnd.api+json");
        let page: Value = r.json().unwrap();
        next = page["links"]
            .get("next")
            .and_then(Value::as_str)
            .map(str::to_owned);
        pages.push(page);
    }
    pages
}

#[test]
fn pages_walk_every_order_once_newest_first_and_links_stop_at_the_ends() {
    let s = standin(57);
    let pages = walk(&format!("{}/orders?page[size]=10", s.base_url()));
    assert_eq!(pages.len(), 6);
    assert!(pages[0]["links"].get("prev").is_none());
    assert!(pages[1]["links"]["prev"]
        .as_str()
        .unwrap()
        .contains("page%5Bnumber%5D=1"));
    let last = pages.last().unwrap();
    assert!(last["links"].get("next").is_none());
    assert_eq!(
        last["meta"]["page"],
        serde_json::json!({"currentPage": 6, "from": 51, "lastPage": 6, "perPage": 10, "to": 57, "total": 57})
    );
    let ids: Vec<String> = pages
        .iter()
        .flat_map(|p| {
            p["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["id"].as_str().unwrap().to_owned())
        })
        .collect();
    let expected: Vec<String> = s.orders().iter().map(|o| o.id.to_string()).collect();
    assert_eq!(ids, expected);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 57);
    let times: Vec<String> = pages
        .iter()
        .flat_map(|p| {
            p["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["attributes"]["created_at"].as_str().unwrap().to_owned())
        })
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]));
    assert!(times[0].ends_with(".000000Z"));
    // Default size 10; a page past the end is empty with null from/to.
    let page: Value = get(&format!("{}/orders", s.base_url())).json().unwrap();
    assert_eq!(page["meta"]["page"]["perPage"], 10);
    let past: Value = get(&format!("{}/orders?page[number]=9", s.base_url()))
        .json()
        .unwrap();
    assert_eq!(past["data"], Value::Array(vec![]));
    assert_eq!(past["meta"]["page"]["from"], Value::Null);
}

#[test]
fn filters_select_and_are_kept_in_the_links() {
    let s = standin(40);
    let one = s.orders()[5].clone();
    let page: Value = get(&format!(
        "{}/orders?filter[order_number]={}",
        s.base_url(),
        one.order_number
    ))
    .json()
    .unwrap();
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    assert_eq!(page["data"][0]["id"], one.id.to_string());
    let page: Value = get(&format!(
        "{}/orders?filter[user_email]={}&page[size]=1",
        s.base_url(),
        one.user_email
    ))
    .json()
    .unwrap();
    assert_eq!(
        page["data"][0]["attributes"]["user_email"],
        one.user_email.as_str()
    );
    let page: Value = get(&format!(
        "{}/orders?filter[store_id]=1&page[size]=5",
        s.base_url()
    ))
    .json()
    .unwrap();
    assert!(page["links"]["next"]
        .as_str()
        .unwrap()
        .contains("filter%5Bstore_id%5D=1&page%5Bnumber%5D=2&page%5Bsize%5D=5&sort=-createdAt"));
    let page: Value = get(&format!("{}/orders?filter[store_id]=2", s.base_url()))
        .json()
        .unwrap();
    assert_eq!(page["meta"]["page"]["total"], 0);
}

#[test]
fn errors_are_json_api_documents() {
    let s = standin(5);
    let r = client()
        .get(format!("{}/orders", s.base_url()))
        .send()
        .unwrap();
    assert_eq!(r.status(), 401);
    let body: Value = r.json().unwrap();
    assert_eq!(body["jsonapi"]["version"], "1.0");
    assert_eq!(body["errors"][0]["status"], "401");
    for (query, parameter) in [
        ("page[size]=101", "page[size]"),
        ("page[size]=0", "page[size]"),
        ("page[number]=x", "page[number]"),
        ("filter[store_id]=a", "filter[store_id]"),
    ] {
        let r = get(&format!("{}/orders?{query}", s.base_url()));
        assert_eq!(r.status(), 400, "{query}");
        let body: Value = r.json().unwrap();
        assert_eq!(body["errors"][0]["source"]["parameter"], parameter);
    }
    let r = get(&format!("{}/orders/999", s.base_url()));
    assert_eq!(r.status(), 404);
    assert_eq!(r.json::<Value>().unwrap()["errors"][0]["status"], "404");
    assert_eq!(get(&format!("{}/customers", s.base_url())).status(), 404);
    assert!(s.revoke_key(DEFAULT_KEY));
    assert_eq!(get(&format!("{}/orders", s.base_url())).status(), 401);
}

#[test]
fn an_order_shows_its_amounts_in_the_order_currency_and_usd() {
    let at = utc(2024, 3, 1, 12, 0, 0);
    let s = LemonSqueezyStandIn::spawn(LemonSqueezyConfig::default()).unwrap();
    let o = s
        .add_orders([StandInOrder::new(at, "Course", 9200)
            .in_currency("EUR")
            .taxed("VAT", 2000)])
        .unwrap()
        .remove(0);
    let body: Value = get(&format!("{}/orders/{}", s.base_url(), o.id))
        .json()
        .unwrap();
    let a = &body["data"]["attributes"];
    assert_eq!(body["data"]["type"], "orders");
    assert_eq!(a["currency"], "EUR");
    assert_eq!(
        (
            a["subtotal"].as_i64(),
            a["tax"].as_i64(),
            a["total"].as_i64()
        ),
        (Some(9200), Some(1840), Some(11040))
    );
    assert_eq!(
        (a["subtotal_usd"].as_i64(), a["total_usd"].as_i64()),
        (Some(10_000), Some(12_000))
    );
    assert_eq!(a["total_formatted"], "€110.40");
    assert_eq!(a["status"], "paid");

    s.refund(o.id, Refund::Partial(1040)).unwrap();
    let a: Value = get(&format!("{}/orders/{}", s.base_url(), o.id))
        .json::<Value>()
        .unwrap()["data"]["attributes"]
        .clone();
    assert_eq!(
        (
            a["status"].as_str(),
            a["refunded"].as_bool(),
            a["refunded_amount"].as_i64()
        ),
        (Some("partial_refund"), Some(false), Some(1040))
    );
    assert!(a["refunded_at"].is_string());
    s.refund(o.id, Refund::Full).unwrap();
    let a: Value = get(&format!("{}/orders/{}", s.base_url(), o.id))
        .json::<Value>()
        .unwrap()["data"]["attributes"]
        .clone();
    assert_eq!(
        (
            a["status"].as_str(),
            a["refunded"].as_bool(),
            a["refunded_amount"].as_i64()
        ),
        (Some("refunded"), Some(true), Some(11040))
    );
}

#[test]
fn expected_totals_count_only_orders_where_money_moved() {
    let at = |d| utc(2024, 5, d, 8, 0, 0);
    let orders = vec![
        StandInOrder::new(at(1), "A", 1000),
        StandInOrder::new(at(2), "B", 2000).refunded_by(2000),
        StandInOrder::new(at(3), "C", 3000).refunded_by(500),
        StandInOrder::new(at(4), "D", 4000).payment(Payment::Failed),
        StandInOrder::new(at(5), "E", 920)
            .in_currency("EUR")
            .taxed("VAT", 2000),
    ];
    let s = LemonSqueezyStandIn::spawn(LemonSqueezyConfig {
        orders,
        ..LemonSqueezyConfig::default()
    })
    .unwrap();
    let totals = s.expected_totals();
    assert_eq!(
        totals["USD"],
        LemonSqueezyTotals {
            orders: 3,
            subtotal: 6000,
            total: 6000,
            refunded_amount: 2500,
            refunds: 1,
            partial_refunds: 1,
            unpaid_orders: 1,
            ..Default::default()
        }
    );
    assert_eq!(
        totals["EUR"],
        LemonSqueezyTotals {
            orders: 1,
            subtotal: 920,
            tax: 184,
            total: 1104,
            ..Default::default()
        }
    );
    let usd = s.expected_totals_usd();
    assert_eq!(usd["USD"].total, 6000 + 1200);
    assert_eq!(usd["USD"].orders, 4);
    let failed = s.orders()[1].id;
    assert_eq!(
        s.refund(failed, Refund::Full),
        Err(StandInError::NotPaid(failed.to_string()))
    );

    // The same figures read back through the API.
    let pages = walk(&format!("{}/orders?page[size]=2", s.base_url()));
    let mut total_usd = 0;
    for o in pages
        .iter()
        .flat_map(|p| p["data"].as_array().unwrap().clone())
    {
        if ["paid", "refunded", "partial_refund"]
            .contains(&o["attributes"]["status"].as_str().unwrap())
        {
            total_usd += o["attributes"]["total_usd"].as_i64().unwrap();
        }
    }
    assert_eq!(total_usd, usd["USD"].total);
}

#[test]
fn the_published_limit_is_enforced_with_headers_and_violations_counted() {
    let s = LemonSqueezyStandIn::spawn(LemonSqueezyConfig {
        rate_limit: Some((3, Duration::from_secs(60))),
        ..LemonSqueezyConfig::default()
    })
    .unwrap();
    let url = format!("{}/orders", s.base_url());
    let remaining: Vec<String> = (0..3)
        .map(|_| {
            let r = get(&url);
            assert_eq!(r.status(), 200);
            assert_eq!(r.headers()["x-ratelimit-limit"], "3");
            r.headers()["x-ratelimit-remaining"]
                .to_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(remaining, vec!["2", "1", "0"]);
    let r = get(&url);
    assert_eq!(r.status(), 429);
    assert!(
        r.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            >= 59
    );
    assert!(r.headers().get("x-ratelimit-remaining").is_none());
    assert_eq!(r.json::<Value>().unwrap()["errors"][0]["status"], "429");
    assert_eq!(s.stats().rate_limit_violations, 1);
    assert_eq!(
        LemonSqueezyConfig::default().rate_limit,
        Some((300, Duration::from_secs(60)))
    );
}

#[test]
fn an_order_inserted_between_pages_shifts_offset_pages() {
    let s = standin(25);
    s.push_fault(Fault::insert_newest_sale().on_path("/v1/orders").after(1));
    let pages = walk(&format!("{}/orders?page[size]=10", s.base_url()));
    let ids: Vec<String> = pages
        .iter()
        .flat_map(|p| {
            p["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["id"].as_str().unwrap().to_owned())
        })
        .collect();
    // Offset pages: the order that ended page 1 comes again at the top of page 2.
    assert_eq!(ids[9], ids[10]);
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(
        unique.len(),
        25,
        "every old order seen; the new one not in this walk"
    );
    let inserted = s.applied_changes()[0].sale_id.clone().unwrap();
    assert_eq!(s.orders()[0].id.to_string(), inserted);

    s.push_fault(Fault::server_error(503).on_path("/v1/orders"));
    assert_eq!(get(&format!("{}/orders", s.base_url())).status(), 503);
}
