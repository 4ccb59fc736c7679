//! The client against a real HTTP server on 127.0.0.1 whose answers the test scripts: retries on
//! what waiting fixes and not on what it does not, `Retry-After` obeyed, the limiter's spacing, the
//! records, and no token in any error or record.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tributary_http::{ClientConfig, HttpClient, RateLimit, Url};
use tributary_model::{FailureClass, Sensitive};

/// A status, headers and a body the server answers with, in turn.
type Answer = (u16, Vec<(&'static str, &'static str)>, &'static str);
/// When each request came and its Authorization header.
type Seen = Vec<(Instant, Option<String>)>;

#[derive(Clone, Default)]
struct Script {
    answers: Arc<Mutex<VecDeque<Answer>>>,
    seen: Arc<Mutex<Seen>>,
}

async fn answer(State(s): State<Script>, headers: HeaderMap) -> Response {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    s.seen.lock().unwrap().push((Instant::now(), auth));
    let next = s.answers.lock().unwrap().pop_front();
    let (status, extra, body) = next.unwrap_or((200, vec![], "{\"ok\":true}"));
    let mut response = (StatusCode::from_u16(status).unwrap(), body).into_response();
    for (k, v) in extra {
        response.headers_mut().insert(k, v.parse().unwrap());
    }
    response
}

/// A runtime of its own for a loopback server (the client under test blocks the test's thread), and
/// a listener on a random port.
fn server_runtime() -> (tokio::runtime::Runtime, tokio::net::TcpListener, SocketAddr) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    (rt, listener, addr)
}

fn serve(script: Script) -> (tokio::runtime::Runtime, Url) {
    let (rt, listener, addr) = server_runtime();
    let app = Router::new()
        .route("/v1/items", get(answer))
        .with_state(script);
    rt.spawn(async move { axum::serve(listener, app).await });
    (
        rt,
        Url::parse(&format!(
            "http://{addr}/v1/items?after=2026-01-01&access_token=leak"
        ))
        .unwrap(),
    )
}

fn quick() -> ClientConfig {
    ClientConfig {
        min_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        request_timeout: Duration::from_millis(500),
        ..ClientConfig::default()
    }
}

fn script(answers: Vec<Answer>) -> Script {
    let s = Script::default();
    *s.answers.lock().unwrap() = answers.into();
    s
}

const TOKEN: &str = "tok_secret_1234567890";

#[test]
fn a_5xx_streak_is_retried_through_and_recorded_once_with_its_retries() {
    let s = script(vec![
        (502, vec![], "<html>bad gateway</html>"),
        (503, vec![], ""),
        (200, vec![], "{\"n\":1}"),
    ]);
    let (rt, url) = serve(s.clone());
    let client = HttpClient::new(quick()).unwrap();
    let token = Sensitive::new(TOKEN.to_string());
    let response = rt.block_on(client.get(url, Some(&token), &[])).unwrap();
    assert_eq!(response.json::<serde_json::Value>().unwrap()["n"], 1);
    let seen = s.seen.lock().unwrap();
    assert_eq!(seen.len(), 3);
    assert!(seen
        .iter()
        .all(|(_, a)| a.as_deref() == Some("Bearer tok_secret_1234567890")));
    let records = client.take_records();
    assert_eq!(records.len(), 1);
    assert_eq!((records[0].status, records[0].retries), (Some(200), 2));
    assert_eq!(
        records[0].target,
        "/v1/items?after=2026-01-01&access_token=***"
    );
}

#[test]
fn retries_are_a_handful_then_the_failure_is_transient_and_names_the_request() {
    let s = script((0..10).map(|_| (500, vec![], "")).collect());
    let (rt, url) = serve(s.clone());
    let client = HttpClient::new(quick()).unwrap();
    let token = Sensitive::new(TOKEN.to_string());
    let e = rt.block_on(client.get(url, Some(&token), &[])).unwrap_err();
    assert_eq!(e.class, FailureClass::Transient);
    assert_eq!((e.status, e.retries), (Some(500), 4));
    assert_eq!(s.seen.lock().unwrap().len(), 5);
    let shown = format!("{e} {e:?}");
    assert!(shown.contains("GET /v1/items"), "{shown}");
    assert!(!shown.contains(TOKEN) && !shown.contains("leak"), "{shown}");
}

#[test]
fn a_401_is_not_retried_and_is_an_authentication_failure() {
    let s = script(vec![(401, vec![], "")]);
    let (rt, url) = serve(s.clone());
    let client = HttpClient::new(quick()).unwrap();
    let e = rt.block_on(client.get(url, None, &[])).unwrap_err();
    assert_eq!(
        (e.class, e.status, e.retries),
        (FailureClass::Authentication, Some(401), 0)
    );
    assert_eq!(s.seen.lock().unwrap().len(), 1);
    assert!(
        e.reason
            .contains("refused the credentials (401 Unauthorized)"),
        "{}",
        e.reason
    );
}

#[test]
fn retry_after_is_waited_for_and_a_long_one_fails_as_a_rate_limit_saying_how_long() {
    let s = script(vec![
        (429, vec![("retry-after", "1")], "Retry later\n"),
        (200, vec![], "{}"),
    ]);
    let (rt, url) = serve(s.clone());
    let client = HttpClient::new(quick()).unwrap();
    rt.block_on(client.get(url.clone(), None, &[])).unwrap();
    let seen = s.seen.lock().unwrap().clone();
    let waited = seen[1].0 - seen[0].0;
    // The backoff alone would have waited at most 5 ms.
    assert!(
        waited >= Duration::from_millis(950),
        "waited only {waited:?}"
    );

    *s.answers.lock().unwrap() = vec![(429, vec![("retry-after", "3600")], "")].into();
    let e = rt.block_on(client.get(url, None, &[])).unwrap_err();
    assert_eq!(e.class, FailureClass::RateLimit);
    assert_eq!(e.retry_after, Some(Duration::from_secs(3600)));
    assert_eq!(e.retries, 0);
}

#[test]
fn an_html_page_where_json_was_due_is_unexpected_data() {
    let s = script(vec![(
        200,
        vec![],
        "<!DOCTYPE html><html><body>Maintenance</body></html>",
    )]);
    let (rt, url) = serve(s);
    let client = HttpClient::new(quick()).unwrap();
    let response = rt.block_on(client.get(url, None, &[])).unwrap();
    let e = response.json::<serde_json::Value>().unwrap_err();
    assert_eq!(e.class, FailureClass::UnexpectedData);
    assert!(
        e.reason.contains("an HTML page instead of JSON"),
        "{}",
        e.reason
    );
}

#[test]
fn a_server_that_never_answers_times_out_as_transient() {
    // Accepts connections and never answers.
    let (rt, listener, addr) = server_runtime();
    rt.spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let client = HttpClient::new(ClientConfig {
        request_timeout: Duration::from_millis(200),
        retries: 1,
        ..quick()
    })
    .unwrap();
    let url = Url::parse(&format!("http://{addr}/v1/items")).unwrap();
    let e = rt.block_on(client.get(url, None, &[])).unwrap_err();
    assert_eq!(
        (e.class, e.status, e.retries),
        (FailureClass::Transient, None, 1)
    );
    assert!(e.reason.contains("timed out"), "{}", e.reason);
}

#[test]
fn the_limiter_spaces_requests_to_the_published_rate() {
    let s = Script::default();
    let (rt, url) = serve(s.clone());
    let client = HttpClient::new(ClientConfig {
        rate_limit: Some(RateLimit {
            requests: 10,
            per: Duration::from_secs(1),
        }),
        ..quick()
    })
    .unwrap();
    rt.block_on(async {
        for _ in 0..6 {
            client.get(url.clone(), None, &[]).await.unwrap();
        }
    });
    let seen = s.seen.lock().unwrap();
    for pair in seen.windows(2) {
        let gap = pair[1].0 - pair[0].0;
        assert!(
            gap >= Duration::from_millis(95),
            "two requests {gap:?} apart"
        );
    }
}

#[test]
fn a_budget_of_zero_remaining_holds_the_next_request_for_the_window() {
    let s = script(vec![
        (200, vec![("x-ratelimit-remaining", "0")], "{}"),
        (200, vec![], "{}"),
    ]);
    let (rt, url) = serve(s.clone());
    let client = HttpClient::new(ClientConfig {
        rate_limit: Some(RateLimit {
            requests: 1000,
            per: Duration::from_millis(400),
        }),
        ..quick()
    })
    .unwrap();
    rt.block_on(async {
        client.get(url.clone(), None, &[]).await.unwrap();
        client.get(url, None, &[]).await.unwrap();
    });
    let seen = s.seen.lock().unwrap();
    assert!(seen[1].0 - seen[0].0 >= Duration::from_millis(390));
}
