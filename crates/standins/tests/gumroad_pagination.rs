//! `GET /v2/sales`: page_key pagination walks every sale exactly once, newest first, and
//! `after`/`before` select whole UTC days (`after` inclusive, `before` exclusive).

mod common;

use std::collections::HashSet;

use common::{get_json, ids, utc, walk, walk_sales};
use serde_json::Value;
use tributary_standins::{generate_sales, GumroadConfig, GumroadStandIn, StandInSale};

fn standin(n: usize, seed: u64) -> GumroadStandIn {
    let config = GumroadConfig::with_generated_sales(
        n,
        seed,
        utc(2024, 1, 1, 0, 0, 0),
        utc(2024, 12, 31, 23, 59, 59),
    );
    GumroadStandIn::spawn(config).expect("spawn")
}

#[test]
fn a_page_walk_sees_every_sale_once_newest_first() {
    let s = standin(237, 11);
    let pages = walk(&s, "");
    assert_eq!(pages.len(), 24);
    let last = pages.last().unwrap();
    assert!(last.get("next_page_key").is_none() && last.get("next_page_url").is_none());
    assert_eq!(last["sales"].as_array().unwrap().len(), 7);

    let seen = walk_sales(&s, "");
    let expected: Vec<String> = s.sales().iter().map(|x| x.id.clone()).collect();
    assert_eq!(
        ids(&seen),
        expected,
        "every sale once, in the stand-in's order"
    );
    let unique: HashSet<String> = ids(&seen).into_iter().collect();
    assert_eq!(unique.len(), 237);
    // created_at DESC at second precision with Z.
    let times: Vec<&str> = seen
        .iter()
        .map(|x| x["created_at"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]));
    assert!(
        times.iter().all(|t| t.len() == 20 && t.ends_with('Z')),
        "{:?}",
        &times[..3]
    );
}

#[test]
fn exactly_ten_sales_fit_one_page_without_a_next_page() {
    let s = standin(10, 1);
    let pages = walk(&s, "");
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0]["sales"].as_array().unwrap().len(), 10);
    assert!(pages[0].get("next_page_key").is_none());

    let empty = GumroadStandIn::spawn(GumroadConfig::default()).unwrap();
    let page = get_json(&empty, "/sales");
    assert_eq!(page["sales"], Value::Array(vec![]));
    assert!(page.get("next_page_url").is_none());
}

#[test]
fn sales_of_the_same_second_are_ordered_by_id_and_none_is_lost() {
    let s = GumroadStandIn::spawn(GumroadConfig::default()).unwrap();
    let at = utc(2024, 6, 1, 12, 0, 0);
    let added = s
        .add_sales((0..25).map(|i| StandInSale::new(at, "Same second", 100 + i)))
        .unwrap();
    let seen = walk_sales(&s, "");
    let mut expected: Vec<String> = added.iter().map(|x| x.id.clone()).collect();
    expected.reverse(); // added later = higher number = first
    assert_eq!(ids(&seen), expected);
}

#[test]
fn a_sale_added_between_older_ones_is_walked_once_in_its_place() {
    let s = standin(50, 5);
    let middle = s.sales()[25].created_at;
    let late = s
        .add_sales([StandInSale::new(
            middle + chrono::Duration::seconds(1),
            "Backdated",
            700,
        )])
        .unwrap()
        .remove(0);
    let seen = walk_sales(&s, "");
    assert_eq!(seen.len(), 51);
    assert_eq!(ids(&seen).iter().filter(|id| **id == late.id).count(), 1);
    assert_eq!(
        ids(&seen),
        s.sales().iter().map(|x| x.id.clone()).collect::<Vec<_>>()
    );
}

#[test]
fn after_is_inclusive_and_before_exclusive_at_utc_midnight() {
    let s = GumroadStandIn::spawn(GumroadConfig::default()).unwrap();
    let at = [
        utc(2024, 2, 29, 23, 59, 59),
        utc(2024, 3, 1, 0, 0, 0),
        utc(2024, 3, 1, 23, 59, 59),
        utc(2024, 3, 2, 0, 0, 0),
        utc(2024, 3, 3, 10, 0, 0),
    ];
    let added = s
        .add_sales(at.iter().map(|t| StandInSale::new(*t, "Day", 500)))
        .unwrap();
    let id = |i: usize| added[i].id.clone();

    assert_eq!(
        ids(&walk_sales(&s, "after=2024-03-01&before=2024-03-02")),
        vec![id(2), id(1)]
    );
    assert_eq!(ids(&walk_sales(&s, "after=2024-03-02")), vec![id(4), id(3)]);
    assert_eq!(ids(&walk_sales(&s, "before=2024-03-01")), vec![id(0)]);
    // Ruby's strptime takes one-digit months and days.
    assert_eq!(
        ids(&walk_sales(&s, "after=2024-3-1&before=2024-3-2")),
        vec![id(2), id(1)]
    );
    assert!(walk_sales(&s, "after=2024-03-04").is_empty());
}

#[test]
fn filters_and_pages_combine_and_next_page_url_keeps_the_filters_but_not_the_token() {
    let s = standin(400, 21);
    let all = s.sales();
    let in_range: Vec<String> = all
        .iter()
        .filter(|x| {
            x.created_at >= utc(2024, 3, 1, 0, 0, 0) && x.created_at < utc(2024, 7, 1, 0, 0, 0)
        })
        .map(|x| x.id.clone())
        .collect();
    assert!(in_range.len() > 20);
    let pages = walk(&s, "before=2024-07-01&after=2024-03-01");
    let url = pages[0]["next_page_url"].as_str().unwrap();
    assert!(
        url.starts_with("/v2/sales?after=2024-03-01&before=2024-07-01&page_key="),
        "{url}"
    );
    let seen: Vec<Value> = pages
        .iter()
        .flat_map(|p| p["sales"].as_array().cloned().unwrap())
        .collect();
    assert_eq!(ids(&seen), in_range);

    // A token sent as a parameter is not carried into next_page_url.
    let c = common::client();
    let page: Value = c
        .get(format!(
            "{}/sales?access_token={}&after=2024-03-01",
            s.base_url(),
            tributary_standins::gumroad::DEFAULT_TOKEN
        ))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let url = page["next_page_url"].as_str().unwrap();
    assert!(!url.contains("access_token"), "{url}");
}

#[test]
fn product_email_and_order_filters_select_their_sales() {
    let s = standin(120, 8);
    let all = s.sales();
    let product = all[0].product_id.clone();
    let expected: Vec<String> = all
        .iter()
        .filter(|x| x.product_id == product)
        .map(|x| x.id.clone())
        .collect();
    let seen = walk_sales(&s, &format!("product_id={}", urlencode(&product)));
    assert_eq!(ids(&seen), expected);

    let one = &all[7];
    let by_email = walk_sales(&s, &format!("email={}", urlencode(&one.email)));
    assert_eq!(ids(&by_email), vec![one.id.clone()]);

    let shown = get_json(&s, &format!("/sales/{}", urlencode(&one.id)));
    let order_id = shown["sale"]["order_id"].as_u64().unwrap();
    assert_eq!(
        ids(&walk_sales(&s, &format!("order_id={order_id}"))),
        vec![one.id.clone()]
    );
}

#[test]
fn the_api_is_also_served_under_api_v2() {
    let s = standin(15, 2);
    let c = common::client();
    let page: Value = c
        .get(format!("{}/api/v2/sales", s.origin()))
        .bearer_auth(tributary_standins::gumroad::DEFAULT_TOKEN)
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert!(page["next_page_url"]
        .as_str()
        .unwrap()
        .starts_with("/api/v2/sales?page_key="));
}

#[test]
fn generated_sales_are_deterministic_across_stand_ins() {
    let a = generate_sales(30, 99, utc(2024, 1, 1, 0, 0, 0), utc(2024, 2, 1, 0, 0, 0));
    let s = GumroadStandIn::spawn(GumroadConfig {
        sales: a.clone(),
        ..GumroadConfig::default()
    })
    .unwrap();
    let mut newest_first = a;
    newest_first.reverse();
    assert_eq!(s.sales(), newest_first);
}

pub fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
