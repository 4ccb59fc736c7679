//! What the stand-in tests share: a plain blocking HTTP client, the token, and a page walk that
//! follows `next_page_url` the way a connector must (against the origin, not the `/v2` base).

#![allow(dead_code)] // each test file uses a different part

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use reqwest::blocking::{Client, Response};
use serde_json::Value;
use tributary_standins::gumroad::DEFAULT_TOKEN;
use tributary_standins::{GumroadConfig, GumroadStandIn};

pub fn client() -> Client {
    // Built beside tributary-http, reqwest has TLS without a provider and panics unless one is set.
    let _ = rustls::crypto::ring::default_provider().install_default();
    Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client")
}

pub fn utc(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, s).unwrap()
}

/// A stand-in with `sales` generated sales (from `seed`) between 2024-01-01 and `until`.
pub fn generated_standin(sales: usize, seed: u64, until: DateTime<Utc>) -> GumroadStandIn {
    GumroadStandIn::spawn(GumroadConfig::with_generated_sales(
        sales,
        seed,
        utc(2024, 1, 1, 0, 0, 0),
        until,
    ))
    .expect("stand-in")
}

/// GET `base_url + path` with the default token as a Bearer header.
pub fn get(standin: &GumroadStandIn, path_and_query: &str) -> Response {
    client()
        .get(format!("{}{path_and_query}", standin.base_url()))
        .bearer_auth(DEFAULT_TOKEN)
        .send()
        .expect("request")
}

pub fn get_json(standin: &GumroadStandIn, path_and_query: &str) -> Value {
    let response = get(standin, path_and_query);
    assert_eq!(response.status(), 200, "{path_and_query}");
    response.json().expect("json")
}

/// Every page of `GET /v2/sales?query`, following `next_page_url`; checks that `next_page_key` and
/// `next_page_url` come together, only when another page follows, and that pages hold 10 sales
/// except the last.
pub fn walk(standin: &GumroadStandIn, query: &str) -> Vec<Value> {
    let mut pages = Vec::new();
    let mut next = format!("{}/sales?{query}", standin.base_url());
    loop {
        let page: Value = client()
            .get(&next)
            .bearer_auth(DEFAULT_TOKEN)
            .send()
            .expect("request")
            .error_for_status()
            .expect("a 200")
            .json()
            .expect("json");
        assert_eq!(page["success"], true);
        let key = page
            .get("next_page_key")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let url = page
            .get("next_page_url")
            .and_then(Value::as_str)
            .map(str::to_owned);
        assert_eq!(
            key.is_some(),
            url.is_some(),
            "key and url come together: {page}"
        );
        let count = page["sales"].as_array().map_or(0, Vec::len);
        pages.push(page);
        match url {
            Some(url) => {
                assert_eq!(count, 10, "a page before the last holds 10 sales");
                assert!(url.starts_with("/v2/sales?"), "{url}");
                assert!(
                    url.contains(&format!("page_key={}", key.unwrap_or_default())),
                    "{url}"
                );
                next = format!("{}{url}", standin.origin());
            }
            None => {
                assert!(count <= 10);
                return pages;
            }
        }
    }
}

/// The sales of every page, in order.
pub fn walk_sales(standin: &GumroadStandIn, query: &str) -> Vec<Value> {
    walk(standin, query)
        .into_iter()
        .flat_map(|p| p["sales"].as_array().cloned().unwrap_or_default())
        .collect()
}

pub fn ids(sales: &[Value]) -> Vec<String> {
    sales
        .iter()
        .map(|s| s["id"].as_str().unwrap_or_default().to_owned())
        .collect()
}
