//! The fault switches, from Rust and over the admin routes: 429s with Retry-After, proxy 5xx
//! streaks, slowness, broken bodies, revoked tokens, data changing between two page reads, faults
//! limited to a path and to requests after the first M, and the rate limit's violations.

mod common;

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use common::{client, generated_standin, get, get_json, ids, utc, walk_sales};
use serde_json::{json, Value};
use tributary_standins::gumroad::DEFAULT_TOKEN;
use tributary_standins::{Fault, FaultKind, GumroadConfig, GumroadStandIn};

fn standin() -> GumroadStandIn {
    generated_standin(35, 9, utc(2024, 3, 31, 0, 0, 0))
}

#[test]
fn the_next_n_requests_get_429_with_retry_after() {
    let s = standin();
    s.set_fault(Fault::too_many_requests(7).times(2));
    for _ in 0..2 {
        let r = get(&s, "/sales");
        assert_eq!(r.status(), 429);
        assert_eq!(r.headers()["retry-after"], "7");
        assert_eq!(r.headers()["content-type"], "text/plain");
        assert_eq!(r.text().unwrap(), "Retry later\n");
    }
    assert_eq!(get(&s, "/sales").status(), 200);
    let stats = s.stats();
    assert_eq!(
        (stats.status(429), stats.status(200), stats.faults_applied),
        (2, 1, 2)
    );
    assert_eq!(s.requests()[0].fault.as_deref(), Some("too_many_requests"));
}

#[test]
fn a_5xx_streak_answers_html_pages_then_recovers() {
    let s = standin();
    s.push_fault(Fault::server_error(502).times(2));
    s.push_fault(Fault::server_error(503));
    s.push_fault(Fault::server_error(500));
    let statuses: Vec<u16> = (0..5)
        .map(|_| {
            let r = get(&s, "/sales");
            let status = r.status().as_u16();
            if status >= 500 {
                assert!(r.headers()["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with("text/html"));
                assert!(r.text().unwrap().contains(&format!("<title>{status} ")));
            }
            status
        })
        .collect();
    assert_eq!(statuses, vec![502, 502, 503, 500, 200]);
}

#[test]
fn a_slow_answer_trips_a_client_timeout_and_dropping_the_stand_in_does_not_wait_for_it() {
    let s = standin();
    s.set_fault(Fault::slow(Duration::from_secs(3)));
    let impatient = reqwest::blocking::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = impatient
        .get(format!("{}/sales", s.base_url()))
        .bearer_auth(DEFAULT_TOKEN)
        .send()
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert!(started.elapsed() < Duration::from_secs(2));
    // The fault was for one request: the next is answered at once.
    let started = Instant::now();
    assert_eq!(get(&s, "/sales").status(), 200);
    assert!(started.elapsed() < Duration::from_secs(1));

    // A request stuck in a slow fault does not hold up shutdown.
    s.set_fault(Fault::slow(Duration::from_secs(30)));
    let url = format!("{}/sales", s.base_url());
    let pending = std::thread::spawn(move || {
        client()
            .get(url)
            .bearer_auth(DEFAULT_TOKEN)
            .send()
            .map(|r| r.status())
    });
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    drop(s);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "drop took {:?}",
        started.elapsed()
    );
    let _ = pending.join();
}

#[test]
fn a_slow_fault_delays_the_real_answer() {
    let s = standin();
    s.set_fault(Fault::slow(Duration::from_millis(400)));
    let started = Instant::now();
    let body = get_json(&s, "/sales");
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(body["sales"].as_array().unwrap().len(), 10);
}

#[test]
fn malformed_json_and_html_pages_come_with_200() {
    let s = standin();
    s.push_fault(Fault::malformed_json());
    s.push_fault(Fault::html_page());
    let r = get(&s, "/sales");
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    assert!(serde_json::from_str::<Value>(&r.text().unwrap()).is_err());
    let r = get(&s, "/sales");
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(r.text().unwrap().starts_with("<!DOCTYPE html>"));
    assert!(get(&s, "/sales").json::<Value>().is_ok());
}

#[test]
fn a_revoked_token_gets_401_from_then_on() {
    let s = standin();
    assert_eq!(get(&s, "/sales").status(), 200);
    assert!(s.revoke_token(DEFAULT_TOKEN));
    assert_eq!(get(&s, "/sales").status(), 401);
    assert_eq!(get(&s, "/user").status(), 401);
    assert!(!s.revoke_token("never-issued"));
}

#[test]
fn faults_can_be_limited_to_a_path_and_to_requests_after_the_first_m() {
    let s = standin();
    s.push_fault(
        Fault::server_error(503)
            .on_path("/v2/sales")
            .after(2)
            .times(2),
    );
    assert_eq!(get(&s, "/user").status(), 200);
    let statuses: Vec<u16> = (0..5)
        .map(|_| get(&s, "/sales").status().as_u16())
        .collect();
    assert_eq!(statuses, vec![200, 200, 503, 503, 200]);
    // `/v2/sales` does not match a single sale; `/v2/sales/*` does.
    let id = s.sales()[0].id.clone();
    s.push_fault(Fault::html_page().on_path("/v2/sales/*").forever());
    assert_eq!(
        get(&s, "/sales").headers()["content-type"],
        "application/json; charset=utf-8"
    );
    for _ in 0..3 {
        assert!(get(&s, &format!("/sales/{id}")).headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
    }
    assert_eq!(s.pending_faults().len(), 1);
    s.clear_faults();
    assert!(get(&s, &format!("/sales/{id}")).json::<Value>().is_ok());
}

#[test]
fn a_sale_inserted_after_page_one_is_not_in_that_walk_but_is_in_the_next() {
    let s = standin();
    let before: Vec<String> = s.sales().iter().map(|x| x.id.clone()).collect();
    s.push_fault(Fault::insert_newest_sale().on_path("/v2/sales").after(1));
    let first_walk = walk_sales(&s, "");
    assert_eq!(
        ids(&first_walk),
        before,
        "the walk in progress sees every old sale once"
    );
    let changes = s.applied_changes();
    assert_eq!(changes.len(), 1);
    let new_id = changes[0].sale_id.clone().unwrap();
    assert!(!before.contains(&new_id));
    let second_walk = walk_sales(&s, "");
    assert_eq!(ids(&second_walk)[0], new_id, "newest first");
    assert_eq!(second_walk.len(), before.len() + 1);
}

#[test]
fn a_sale_refunded_after_it_was_read_shows_refunded_only_on_a_new_read() {
    let s = standin();
    let first_page_sale = s
        .sales()
        .iter()
        .take(10)
        .find(|x| x.refunded_cents == 0 && !x.disputed)
        .map(|x| x.id.clone())
        .expect("an untouched sale on page 1");
    s.push_fault(
        Fault::refund_sale(Some(&first_page_sale))
            .on_path("/v2/sales")
            .after(1),
    );
    let walk = walk_sales(&s, "");
    let seen = walk
        .iter()
        .find(|x| x["id"] == first_page_sale.as_str())
        .unwrap();
    assert!(seen.get("refunded").is_none(), "read before the refund");
    let again = get_json(&s, &format!("/sales/{first_page_sale}"));
    assert_eq!(again["sale"]["refunded"], true);
    assert_eq!(again["sale"]["amount_refundable_in_currency"], "0");

    // Without an id, the oldest untouched sale is refunded.
    let oldest = s
        .sales()
        .iter()
        .rev()
        .find(|x| x.refunded_cents == 0 && !x.disputed)
        .unwrap()
        .id
        .clone();
    s.push_fault(Fault::refund_sale(None).on_path("/v2/sales"));
    get_json(&s, "/sales");
    assert!(s.sale(&oldest).unwrap().is_refunded());
    assert_eq!(
        s.applied_changes()[1].sale_id.as_deref(),
        Some(oldest.as_str())
    );
}

#[test]
fn requests_beyond_the_rate_limit_are_429_and_counted_as_violations() {
    let config = GumroadConfig {
        rate_limit: Some((5, Duration::from_secs(1))),
        ..GumroadConfig::default()
    };
    let s = GumroadStandIn::spawn(config).unwrap();
    let statuses: Vec<u16> = (0..8)
        .map(|_| get(&s, "/sales").status().as_u16())
        .collect();
    assert_eq!(statuses, vec![200, 200, 200, 200, 200, 429, 429, 429]);
    let limited = s
        .requests()
        .into_iter()
        .filter(|r| r.status == 429)
        .collect::<Vec<_>>();
    assert!(limited
        .iter()
        .all(|r| r.fault.as_deref() == Some("rate_limited")));
    assert_eq!(s.stats().rate_limit_violations, 3);
    let r = get(&s, "/sales");
    assert_eq!(r.status(), 429);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        wait, 1,
        "the oldest accepted request leaves the window within a second"
    );
    assert_eq!(s.stats().rate_limit_violations, 4);

    // A client that keeps to the limit causes none.
    std::thread::sleep(Duration::from_millis(1100));
    s.clear_requests();
    for _ in 0..2 {
        for _ in 0..5 {
            assert_eq!(get(&s, "/sales").status(), 200);
        }
        std::thread::sleep(Duration::from_millis(1050));
    }
    assert_eq!(s.stats().rate_limit_violations, 0);
}

#[test]
fn latency_is_added_and_concurrent_requests_are_counted() {
    let config = GumroadConfig {
        latency: Duration::from_millis(500),
        ..GumroadConfig::default()
    };
    let s = Arc::new(GumroadStandIn::spawn(config).unwrap());
    let barrier = Arc::new(Barrier::new(4));
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let (s, barrier) = (Arc::clone(&s), Arc::clone(&barrier));
            std::thread::spawn(move || {
                barrier.wait();
                let started = Instant::now();
                assert_eq!(get(&s, "/user").status(), 200);
                started.elapsed()
            })
        })
        .collect();
    for t in threads {
        assert!(t.join().unwrap() >= Duration::from_millis(500));
    }
    let stats = s.stats();
    assert!(stats.max_concurrent >= 3, "{stats:?}");
    assert_eq!(stats.in_flight, 0);
    assert_eq!(stats.requests, 4);
}

#[test]
fn the_admin_routes_drive_the_same_switches_and_are_not_recorded() {
    let s = standin();
    let admin = s.admin_url();
    let c = client();
    let r = c
        .post(format!("{admin}/faults"))
        .body(r#"[{"kind":"too_many_requests","retry_after_secs":3,"times":1,"path":"/v2/sales"},{"kind":"server_error","status":502}]"#)
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let pending: Vec<Value> = c
        .get(format!("{admin}/faults"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(pending.len(), 2);
    assert_eq!(pending[0]["kind"], "too_many_requests");
    assert_eq!(
        s.pending_faults()[1],
        Fault {
            kind: FaultKind::ServerError { status: 502 },
            times: Some(1),
            path: None,
            after: 0
        }
    );
    let r = get(&s, "/sales");
    assert_eq!(
        (
            r.status().as_u16(),
            r.headers()["retry-after"].to_str().unwrap()
        ),
        (429, "3")
    );
    assert_eq!(get(&s, "/sales").status(), 502);

    // A bad fault is refused with a reason.
    let r = c
        .post(format!("{admin}/faults"))
        .body(r#"{"kind":"server_error","status":404}"#)
        .send()
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = c
        .post(format!("{admin}/faults"))
        .body("not json")
        .send()
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.json::<Value>().unwrap()["error"]
        .as_str()
        .unwrap()
        .contains("invalid JSON"));

    // Replace, then clear.
    c.put(format!("{admin}/faults"))
        .body(r#"{"kind":"html_page","times":null}"#)
        .send()
        .unwrap();
    assert_eq!(s.pending_faults().len(), 1);
    assert_eq!(s.pending_faults()[0].times, None);
    c.delete(format!("{admin}/faults")).send().unwrap();
    assert!(s.pending_faults().is_empty());

    // Tokens, latency and the rate limit.
    let r = c
        .post(format!("{admin}/tokens/revoke"))
        .body(json!({"token": DEFAULT_TOKEN}).to_string())
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(get(&s, "/sales").status(), 401);
    c.post(format!("{admin}/tokens"))
        .body(json!({"token": DEFAULT_TOKEN}).to_string())
        .send()
        .unwrap();
    assert_eq!(get(&s, "/sales").status(), 200);
    c.put(format!("{admin}/rate_limit"))
        .body(r#"{"limit":1,"window_ms":60000}"#)
        .send()
        .unwrap();
    assert_eq!(get(&s, "/sales").status(), 200);
    assert_eq!(get(&s, "/sales").status(), 429);
    c.put(format!("{admin}/rate_limit"))
        .body("null")
        .send()
        .unwrap();
    assert_eq!(get(&s, "/sales").status(), 200);

    let stats: Value = c
        .get(format!("{admin}/stats"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(stats["rate_limit_violations"], 1);
    assert_eq!(
        stats["requests"], 7,
        "admin requests are not counted: {stats}"
    );
    let log: Vec<Value> = c
        .get(format!("{admin}/requests"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(log.len(), 7);
    assert!(log.iter().all(|r| r["path"] == "/v2/sales"));
    c.delete(format!("{admin}/requests")).send().unwrap();
    assert!(s.requests().is_empty());
    assert_eq!(s.stats().requests, 0);
}

#[test]
fn data_change_faults_over_http_and_the_changes_list() {
    let s = standin();
    let admin = s.admin_url();
    let c = client();
    c.post(format!("{admin}/faults"))
        .body(r#"{"kind":"insert_newest_sale","path":"/v2/sales","after":1}"#)
        .send()
        .unwrap();
    walk_sales(&s, "");
    let changes: Vec<Value> = c
        .get(format!("{admin}/changes"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0]["kind"], "insert_newest_sale");
    assert_eq!(
        changes[0]["sale_id"].as_str(),
        Some(s.sales()[0].id.as_str())
    );
}
